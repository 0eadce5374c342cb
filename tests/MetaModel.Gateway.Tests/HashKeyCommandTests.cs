using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace MetaModel.Gateway.Tests;

/// <summary><c>hash-key</c> refuses every pepper the gateway refuses at its start, with the gateway's message.</summary>
public sealed class HashKeyCommandTests
{
    private const string GoodPepper = "hash-key-test-pepper-0123";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("fifteen-chars-x")]
    public void APepperTheGatewayRefuses_PrintsTheGatewaysProblemAndNoHash_AndExitsNonZero(string? pepper)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        int exitCode = HashKeyCommand.Run(Settings(pepper), "sk-x", output, error);

        exitCode.Should().NotBe(0);
        output.ToString().Should().BeEmpty();
        string startProblem = new GatewayOptions { ApiKeyPepper = pepper }.Validate()
            .Single(p => p.Contains("ApiKeyPepper", StringComparison.Ordinal));
        error.ToString().Trim().Should().Be(startProblem).And.Contain("at least 16 characters");
        if (!string.IsNullOrEmpty(pepper))
        {
            error.ToString().Should().Contain($"it has {pepper.Length}").And.NotContain(pepper);
        }
    }

    [Fact]
    public void APepperOfSixteenCharacters_PrintsTheHash()
    {
        const string Pepper = "sixteen-chars-xx";
        var output = new StringWriter();
        var error = new StringWriter();

        int exitCode = HashKeyCommand.Run(Settings(Pepper), "sk-x", output, error);

        exitCode.Should().Be(0);
        error.ToString().Should().BeEmpty();
        output.ToString().Trim().Should().Be(ApiKeyHasher.Hash(Pepper, "sk-x"));
        new GatewayOptions { ApiKeyPepper = Pepper }.Validate().Should().NotContain(p => p.Contains("ApiKeyPepper"));
    }

    [Theory]
    [InlineData("short", 1)]
    [InlineData(GoodPepper, 0)]
    public async Task TheGatewayProgram_HashKey_ChecksThePepperFromTheEnvironment(string pepper, int expectedExitCode)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MetaModel.Gateway.dll"));
        start.ArgumentList.Add("hash-key");
        start.ArgumentList.Add("sk-x");
        start.Environment["Gateway__ApiKeyPepper"] = pepper;

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        process.ExitCode.Should().Be(expectedExitCode, await error);
        if (expectedExitCode == 0)
        {
            (await output).Trim().Should().Be(ApiKeyHasher.Hash(pepper, "sk-x"));
        }
        else
        {
            (await output).Should().BeEmpty();
            (await error).Should().Contain("Gateway:ApiKeyPepper must be set to a secret of at least 16 characters");
        }
    }

    private static IConfiguration Settings(string? pepper) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:ApiKeyPepper"] = pepper })
            .Build();
}
