// MetaModel gateway: an OpenAI-compatible HTTP front for the metamodels configured in appsettings.json.
//
//   dotnet run --project src/MetaModel.Gateway -- --urls http://127.0.0.1:5080
//   dotnet run --project src/MetaModel.Gateway --no-launch-profile -- hash-key sk-your-key   (prints the hash)
//
// "Endpoints" become keyed IChatClients (OpenAI-compatible servers), "MetaModels" the metamodels over them, and
// "Gateway" the tenants with their hashed API keys, metamodel and budget. The pepper that keys the API key hashes
// comes from the environment (Gateway__ApiKeyPepper); see docs/gateway.md.
using System.ClientModel;
using System.ClientModel.Primitives;
using MetaModel;
using MetaModel.DependencyInjection;
using MetaModel.Gateway;
using Microsoft.Extensions.AI;
using OpenAI;

if (args is [HashKeyCommand.Name, ..])
{
    IConfiguration settings = new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();
    return HashKeyCommand.Run(settings, args.ElementAtOrDefault(1), Console.Out, Console.Error);
}

return await GatewayApplication.RunAsync(args, Console.Error, builder =>
{
    // Every endpoint's problems are collected and reported together.
    var problems = new List<string>();
    foreach (IConfigurationSection endpoint in builder.Configuration.GetSection("Endpoints").GetChildren())
    {
        string? url = endpoint["Endpoint"];
        string? model = endpoint["Model"];
        bool web = Uri.TryCreate(url, UriKind.Absolute, out Uri? address) &&
            (address.Scheme == Uri.UriSchemeHttp || address.Scheme == Uri.UriSchemeHttps);
        if (!web)
        {
            problems.Add($"Endpoints:{endpoint.Key}:Endpoint must be an absolute http or https URL; it is '{url}'.");
        }

        if (string.IsNullOrWhiteSpace(model))
        {
            problems.Add($"Endpoints:{endpoint.Key}:Model is missing: name the model the endpoint serves.");
        }

        if (!web || string.IsNullOrWhiteSpace(model))
        {
            continue;
        }

        string? keyVariable = endpoint["ApiKeyVariable"];
        string apiKey = (keyVariable is null ? null : Environment.GetEnvironmentVariable(keyVariable)) ?? "unused";
        builder.Services.AddKeyedChatClient(endpoint.Key, _ =>
            // The metamodel fails over between candidates itself, so the client's own retries are off.
            new OpenAIClient(
                    new ApiKeyCredential(apiKey),
                    new OpenAIClientOptions { Endpoint = address, RetryPolicy = new ClientRetryPolicy(maxRetries: 0) })
                .GetChatClient(model)
                .AsIChatClient());
    }

    if (problems.Count > 0)
    {
        throw new MetaModelConfigurationException(problems);
    }

    foreach (IConfigurationSection metaModel in builder.Configuration.GetSection("MetaModels").GetChildren())
    {
        builder.Services.AddMetaModel(metaModel);
    }
});
