using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace MetaModel.Gateway.Tests;

/// <summary>
/// The gateway's program refuses invalid settings and incomplete command lines with a plain message and an exit code,
/// never an unhandled exception's stack trace.
/// </summary>
public sealed class GatewayStartupTests
{
    private const string GoodPepper = "startup-test-pepper-0123";

    [Fact]
    public async Task InvalidSettings_PrintEveryProblemWithoutAStackTrace_AndExitWith1()
    {
        // Outside Development there is no pepper, and appsettings.json has no tenants.
        (int exitCode, string output, string error) = await RunGatewayAsync(pepper: null, "--urls", "http://127.0.0.1:0");

        exitCode.Should().Be(1, error);
        output.Should().BeEmpty();
        error.Should().Contain("Gateway:ApiKeyPepper must be set to a secret of at least 16 characters")
            .And.Contain("Gateway:Tenants is empty")
            .And.NotContain("Unhandled exception").And.NotContain("OptionsValidationException").And.NotContain("   at ");
    }

    [Fact]
    public async Task HashKeyWithoutAKey_IsAUsageErrorNamingTheKey_AndStartsNoServer()
    {
        (int exitCode, string output, string error) = await RunGatewayAsync(GoodPepper, "hash-key");

        exitCode.Should().Be(HashKeyCommand.UsageExitCode, error);
        output.Should().BeEmpty();
        error.Should().Contain("API key to hash is missing").And.Contain("hash-key sk-");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void HashKeyCommand_WithoutAKey_PrintsTheUsageAndNoHash(string? key)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        IConfiguration settings = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:ApiKeyPepper"] = GoodPepper })
            .Build();

        int exitCode = HashKeyCommand.Run(settings, key, output, error);

        exitCode.Should().Be(2);
        output.ToString().Should().BeEmpty();
        error.ToString().Should().Contain("API key to hash is missing");
    }

    [Fact]
    public async Task InvalidEndpointsOrMetaModels_PrintEveryProblemWithoutAStackTrace_AndExitWith1()
    {
        // Two endpoint problems are reported together, before the metamodels over them are built.
        var endpoints = new Dictionary<string, string?>
        {
            ["Endpoints__hosted-large__Endpoint"] = "ftp://127.0.0.1/v1",
            ["Endpoints__local-small__Model"] = "",
        };
        (int exitCode, string output, string error) =
            await RunGatewayAsync(GoodPepper, endpoints, "--urls", "http://127.0.0.1:0");

        exitCode.Should().Be(1, error);
        output.Should().BeEmpty();
        error.Should()
            .Contain("Endpoints:hosted-large:Endpoint must be an absolute http or https URL; it is 'ftp://127.0.0.1/v1'")
            .And.Contain("Endpoints:local-small:Model is missing")
            .And.NotContain("Unhandled exception").And.NotContain("   at ");

        // The metamodels' own problems, found when the tenants resolve them at start, are reported the same way.
        var metaModels = new Dictionary<string, string?>
        {
            ["Gateway__Tenants__acme__ApiKeyHashes__0"] = new string('a', 64),
            ["Gateway__Tenants__acme__MetaModel"] = "metamodel",
            ["MetaModels__default__MaxAttemptsPerRequest"] = "abc",
            ["MetaModels__default__Candidates__0__ContextWindow"] = "-5",
        };
        (exitCode, output, error) = await RunGatewayAsync(GoodPepper, metaModels, "--urls", "http://127.0.0.1:0");

        exitCode.Should().Be(1, error);
        output.Should().BeEmpty();
        error.Should().Contain("MaxAttemptsPerRequest").And.Contain("context window of -5")
            .And.NotContain("Unhandled exception").And.NotContain("   at ");
    }

    private static Task<(int ExitCode, string Output, string Error)> RunGatewayAsync(
        string? pepper,
        params string[] args) =>
        RunGatewayAsync(pepper, new Dictionary<string, string?>(), args);

    private static async Task<(int ExitCode, string Output, string Error)> RunGatewayAsync(
        string? pepper,
        IReadOnlyDictionary<string, string?> environment,
        params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MetaModel.Gateway.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("Gateway__ApiKeyPepper");
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        if (pepper is not null)
        {
            start.Environment["Gateway__ApiKeyPepper"] = pepper;
        }

        foreach ((string name, string? value) in environment)
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }
}
