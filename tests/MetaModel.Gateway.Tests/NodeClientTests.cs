using System.Diagnostics;
using System.Text.Json;
using MetaModel.Gateway.Tests.Infrastructure;

namespace MetaModel.Gateway.Tests;

/// <summary>The official openai npm client against the gateway, from a small Node script.</summary>
/// <remarks>
/// The script's folder commits only package.json, which pins one exact version of a package without dependencies;
/// when node_modules is missing the test installs it with npm (no lock file is written or needed).
/// </remarks>
public sealed class NodeClientTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly GatewayHost _host = fixture.Host;

    [Fact]
    public async Task OpenAINpmClient_CompletesStreamsListsAndSeesErrors()
    {
        string folder = ScriptFolder();
        if (!File.Exists(Path.Combine(folder, "node_modules", "openai", "package.json")))
        {
            (int installed, string log) = await RunAsync(
                "npm",
                folder,
                TimeSpan.FromMinutes(4),
                "install",
                "--no-save",
                "--no-package-lock",
                "--no-audit",
                "--no-fund");
            installed.Should().Be(0, log);
        }

        (int exit, string output) =
            await RunAsync("node", folder, TimeSpan.FromMinutes(1), "client.mjs", _host.ApiUrl.ToString(), GatewayHost.AcmeKey);

        exit.Should().Be(0, output);
        Dictionary<string, JsonElement> checks = output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(e => e.GetProperty("check").GetString()!);

        checks.Keys.Should().BeEquivalentTo(["complete", "stream", "models", "missing-model"], output);
        checks["complete"].GetProperty("text").GetString().Should().Be("Hello from the small model");
        checks["complete"].GetProperty("finish").GetString().Should().Be("stop");
        checks["complete"].GetProperty("totalTokens").GetInt32().Should().Be(15);
        checks["stream"].GetProperty("text").GetString().Should().Be("Hello from the small model");
        checks["stream"].GetProperty("finish").GetString().Should().Be("stop");
        checks["stream"].GetProperty("promptTokens").GetInt32().Should().Be(10);
        checks["models"].GetProperty("ids").EnumerateArray().Select(e => e.GetString())
            .Should().Equal("metamodel", "small", "large");
        checks["missing-model"].GetProperty("status").GetInt32().Should().Be(404);
        checks["missing-model"].GetProperty("code").GetString().Should().Be("model_not_found");
    }

    private static string ScriptFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "tests", "MetaModel.Gateway.Tests", "node");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("No folder above the test binaries holds tests/MetaModel.Gateway.Tests/node.");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(
        string program,
        string folder,
        TimeSpan timeout,
        params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
