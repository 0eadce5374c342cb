using System.Text.Json;
using MetaModel.Gateway.Tenants;
using MetaModel.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MetaModel.Gateway.Tests;

/// <summary>A streamed answer that breaks off after output reached the client never ends as a whole answer.</summary>
public sealed class BrokenStreamTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly GatewayHost _host = fixture.Host;

    [Theory]
    [InlineData("cutting", GatewayHost.CutKey)]
    [InlineData("cutting-soft", GatewayHost.CutSoftKey)]
    public async Task AStreamThatBreaksOff_EndsWithAnErrorEvent_NeverWithAFinishOrDone(string model, string key)
    {
        using HttpResponseMessage response = await _host.Http.SendAsync(
            _host.Post($$"""{"model":"{{model}}","stream":true,"messages":[{"role":"user","content":"hi"}]}""", key));
        string text = await response.Content.ReadAsStringAsync();

        string[] events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        events.Should().NotContain("data: [DONE]");
        JsonElement[] payloads = [.. events.Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement)];
        string content = string.Concat(payloads
            .Where(p => p.TryGetProperty("choices", out JsonElement c) && c.GetArrayLength() > 0)
            .Select(p => p.GetProperty("choices")[0].GetProperty("delta"))
            .Where(d => d.TryGetProperty("content", out _))
            .Select(d => d.GetProperty("content").GetString()));
        content.Should().Be("one two");
        payloads.Where(HasFinish).Should().BeEmpty();

        JsonElement error = payloads[^1].GetProperty("error");
        error.GetProperty("code").GetString().Should().Be("response_incomplete");
        error.GetProperty("type").GetString().Should().Be("server_error");
        error.GetProperty("message").GetString().Should().Contain("broke off");

        // The cause's message names an internal address: the event names the candidate, the kind of fault and the
        // decision, and only the server's log has the message.
        string decisionId = payloads[0].GetProperty("id").GetString()!["chatcmpl-".Length..];
        error.GetProperty("message").GetString().Should()
            .Contain($"candidate '{(model == "cutting" ? "cut" : "cut-soft")}'")
            .And.Contain("server error")
            .And.Contain(decisionId)
            .And.NotContain("upstream connection reset")
            .And.NotContain("10.0.0.7");
        _host.Log.Messages.Should().Contain(m => m.Contains("10.0.0.7:8000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStreamThatBreaksOff_ChargesTheTenantForWhatWasProduced()
    {
        decimal before = Remaining("cut");

        using HttpResponseMessage response = await _host.Http.SendAsync(
            _host.Post("""{"model":"cutting","stream":true,"messages":[{"role":"user","content":"hi"}]}""", GatewayHost.CutKey));
        (await response.Content.ReadAsStringAsync()).Should().Contain("response_incomplete");

        // One USD per token: a prompt of 5 estimated tokens (4 per message and "hi") and "one two" (7 characters, 2).
        Remaining("cut").Should().Be(before - 7);
    }

    [Fact]
    public async Task AClientThatLeavesMidStream_IsChargedForWhatWasProduced()
    {
        decimal before = Remaining("stall");
        const string Body = """{"model":"stalling","stream":true,"messages":[{"role":"user","content":"hi"}]}""";
        using (HttpResponseMessage response = await _host.Http.SendAsync(
            _host.Post(Body, GatewayHost.StallKey),
            HttpCompletionOption.ResponseHeadersRead))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            string received = string.Empty;
            while (!received.Contains("\" two\"", StringComparison.Ordinal))
            {
                received += await reader.ReadLineAsync() ?? throw new InvalidOperationException("The stream ended early.");
            }
        }

        // The gateway notices the client left and ends the request on its own time: it charges what was produced and
        // releases what it had reserved.
        for (int i = 0; i < 500 && Remaining("stall") != before - 7; i++)
        {
            await Task.Delay(10);
        }

        Remaining("stall").Should().Be(before - 7);
    }

    private decimal Remaining(string tenantId)
    {
        Tenant tenant = _host.Services.GetRequiredService<TenantDirectory>().Tenants.Single(t => t.Id == tenantId);
        return _host.Services.GetRequiredService<BudgetLedger>().Remaining(tenant)!.Value;
    }

    private static bool HasFinish(JsonElement payload) =>
        payload.TryGetProperty("choices", out JsonElement choices) && choices.GetArrayLength() > 0 &&
        choices[0].TryGetProperty("finish_reason", out JsonElement finish) && finish.ValueKind == JsonValueKind.String;
}
