using MetaModel;
using MetaModel.Gateway.Tenants;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MetaModel.Gateway;

/// <summary>Builds the gateway application: services, Kestrel limits and the OpenAI-compatible endpoints.</summary>
internal static class GatewayApplication
{
    /// <summary>Builds and runs the application until it is shut down.</summary>
    /// <param name="args">Command-line arguments, such as <c>--urls http://127.0.0.1:5080</c>.</param>
    /// <param name="error">Receives the problems of invalid settings, one a line, without a stack trace.</param>
    /// <param name="configure">Registers the metamodels (with <c>AddMetaModel</c>) and anything else.</param>
    /// <returns>The exit code: 0 after a shutdown, 1 when the settings are invalid.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter error, Action<WebApplicationBuilder> configure)
    {
        WebApplication app;
        try
        {
            // The metamodels are built, and their settings checked, when the tenants are resolved at start.
            app = Build(args, configure);
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (SettingsProblems(ex) is { } problems)
        {
            await error.WriteLineAsync("The gateway cannot start: its settings are invalid.").ConfigureAwait(false);
            foreach (string problem in problems)
            {
                await error.WriteLineAsync("- " + problem).ConfigureAwait(false);
            }

            return 1;
        }

        await app.WaitForShutdownAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>Returns the problems an exception reports about the settings, or null for any other exception.</summary>
    private static IReadOnlyList<string>? SettingsProblems(Exception exception) => exception switch
    {
        OptionsValidationException options => [.. options.Failures],
        MetaModelConfigurationException metaModel => metaModel.Problems,
        _ => null,
    };

    /// <summary>Builds the application.</summary>
    /// <param name="args">Command-line arguments, such as <c>--urls http://127.0.0.1:5080</c>.</param>
    /// <param name="configure">Registers the metamodels (with <c>AddMetaModel</c>) and anything else.</param>
    /// <returns>The application, not started.</returns>
    /// <exception cref="OptionsValidationException">
    /// The gateway settings are invalid; the message lists every problem.
    /// </exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder> configure)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
        configure(builder);

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<GatewayOptions>().Bind(builder.Configuration.GetSection(GatewayOptions.SectionName));
        builder.Services.AddSingleton<TenantDirectory>();
        builder.Services.AddSingleton<BudgetLedger>();
        builder.Services.AddSingleton<ChatCompletionsEndpoint>();
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<GatewayMetrics>();
        builder.Services
            .AddOptions<KestrelServerOptions>()
            .Configure<IOptions<GatewayOptions>>((kestrel, gateway) =>
                kestrel.Limits.MaxRequestBodySize = gateway.Value.MaxRequestBodyBytes);

        WebApplication app = builder.Build();

        // Kestrel refuses to read a body whose declared length exceeds its limit, and closes the connection after the
        // response instead of draining it: whatever answers such a request (413, but also 401, 404 or 405, which do
        // not read the body) says so, or a keep-alive client would send its next request on the closed connection.
        long maxBodyBytes = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.MaxRequestBodyBytes;
        app.Use((context, next) =>
        {
            if (context.Request.ContentLength > maxBodyBytes)
            {
                context.Response.Headers.Connection = "close";
            }

            return next(context);
        });

        // Refusals that no endpoint wrote, such as routing's 404 for an unknown path and 405 for a wrong method, get
        // OpenAI's error body too; an answer that has a body already is left alone.
        app.UseStatusCodePages(static status => ChatCompletionsEndpoint.WriteErrorAsync(
            status.HttpContext,
            GatewayError.ForStatus(status.HttpContext.Request, status.HttpContext.Response)));
        app.MapPost(
            "/v1/chat/completions",
            (HttpContext context, ChatCompletionsEndpoint endpoint) => endpoint.HandleAsync(context));
        app.MapGet("/v1/models", (HttpContext context, TenantDirectory tenants) => Models.ListAsync(context, tenants));
        app.MapGet(
            "/v1/models/{**id}",
            (HttpContext context, TenantDirectory tenants, string id) => Models.GetAsync(context, tenants, id));

        // Resolving the directory at start checks the settings and the tenants' metamodels, listing every problem.
        _ = app.Services.GetRequiredService<TenantDirectory>();
        _ = app.Services.GetRequiredService<GatewayMetrics>();
        return app;
    }
}
