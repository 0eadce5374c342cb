using System.Net;
using System.Text.Json;
using MetaModel.Gateway.Tests.Infrastructure;

namespace MetaModel.Gateway.Tests;

/// <summary>The exact JSON and server-sent events the gateway writes, read without any client library.</summary>
public sealed class WireFormatTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly GatewayHost _host = fixture.Host;

    [Fact]
    public async Task NonStreaming_BodyHasOpenAIShapeAndRoutingExtension()
    {
        using HttpResponseMessage response = await _host.Http.SendAsync(
            _host.Post("""{"model":"metamodel","messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}]}"""));
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement root = body.RootElement;

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        root.GetProperty("object").GetString().Should().Be("chat.completion");
        root.GetProperty("created").GetInt64().Should().BeGreaterThan(1_700_000_000);
        JsonElement choice = root.GetProperty("choices")[0];
        choice.GetProperty("index").GetInt32().Should().Be(0);
        choice.GetProperty("message").GetProperty("role").GetString().Should().Be("assistant");
        choice.GetProperty("finish_reason").GetString().Should().Be("stop");
        root.GetProperty("usage").GetProperty("total_tokens").GetInt64().Should().Be(15);
        JsonElement routing = root.GetProperty("metamodel");
        routing.GetProperty("candidate").GetString().Should().Be("small");
        routing.GetProperty("policy").GetString().Should().Be("ordered");
        routing.GetProperty("cost_usd").GetDecimal().Should().Be(0.02m);
        root.GetProperty("id").GetString().Should().Be("chatcmpl-" + routing.GetProperty("decision_id").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Streaming_EventsEndWithDoneAndUsageOnlyWhenAsked(bool includeUsage)
    {
        string options = includeUsage ? ""","stream_options":{"include_usage":true}""" : string.Empty;
        using HttpResponseMessage response = await _host.Http.SendAsync(
            _host.Post($$"""{"model":"metamodel","stream":true{{options}},"messages":[{"role":"user","content":"hi"}]}"""));
        string text = await response.Content.ReadAsStringAsync();

        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        string[] events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        events.Should().OnlyContain(e => e.StartsWith("data: ", StringComparison.Ordinal));
        events[^1].Should().Be("data: [DONE]");
        JsonElement[] chunks = [.. events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement)];
        chunks.Should().OnlyContain(c => c.GetProperty("object").GetString() == "chat.completion.chunk");
        chunks.Select(c => c.GetProperty("id").GetString()).Distinct().Should().ContainSingle();
        chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString().Should().Be("assistant");
        string content = string.Concat(chunks
            .Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Where(d => d.TryGetProperty("content", out _))
            .Select(d => d.GetProperty("content").GetString()));
        content.Should().Be("Hello from the small model");
        chunks.Count(c => c.GetProperty("choices").GetArrayLength() > 0 &&
            c.GetProperty("choices")[0].TryGetProperty("finish_reason", out JsonElement f) && f.GetString() == "stop")
            .Should().Be(1);

        JsonElement last = chunks[^1];
        last.TryGetProperty("usage", out JsonElement usage).Should().Be(includeUsage);
        if (includeUsage)
        {
            last.GetProperty("choices").GetArrayLength().Should().Be(0);
            usage.GetProperty("prompt_tokens").GetInt64().Should().Be(10);
            usage.GetProperty("completion_tokens").GetInt64().Should().Be(5);
        }

        last.GetProperty("metamodel").GetProperty("candidate").GetString().Should().Be("small");
    }

    [Fact]
    public async Task Budget_AdmitsUntilSpentThenRefuses()
    {
        // Each answer of the small candidate costs 0.02 USD, and the tenant may spend 0.03 a month. A request is
        // estimated at 0.007 USD (5 prompt tokens at 0.001 and 1 completion token at 0.002), so it is admitted while
        // at least that much is left.
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 3; i++)
        {
            const string Body = """{"model":"small","max_tokens":1,"messages":[{"role":"user","content":"hi"}]}""";
            using HttpResponseMessage response = await _host.Http.SendAsync(_host.Post(Body, GatewayHost.TightKey));
            statuses.Add(response.StatusCode);
        }

        statuses.Should().Equal(HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Models_ListsTheTenantsMetaModelAndItsCandidates()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/models");
        request.Headers.Authorization = new("Bearer", GatewayHost.AcmeKey);
        using HttpResponseMessage response = await _host.Http.SendAsync(request);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        body.RootElement.GetProperty("object").GetString().Should().Be("list");
        JsonElement[] data = [.. body.RootElement.GetProperty("data").EnumerateArray()];
        data.Select(m => m.GetProperty("id").GetString()).Should().Equal("metamodel", "small", "large");
        data.Select(m => m.GetProperty("owned_by").GetString()).Should().Equal("metamodel", "small-provider", "large-provider");
        data.Should().OnlyContain(m => m.GetProperty("object").GetString() == "model");
    }

    [Fact]
    public async Task Models_OtherTenantSeesItsOwnMetaModel()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/models/broken");
        request.Headers.Authorization = new("Bearer", GatewayHost.FailingKey);
        using HttpResponseMessage response = await _host.Http.SendAsync(request);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        body.RootElement.GetProperty("id").GetString().Should().Be("broken");
    }

    [Fact]
    public async Task Models_WithoutKey_Is401()
    {
        using HttpResponseMessage response = await _host.Http.GetAsync(new Uri("v1/models", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
