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

    private static async Task<(int ExitCode, string Output, string Error)> RunGatewayAsync(
        string? pepper,
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
