using System.Net;
using System.Text;
using MetaModel.Gateway.Tests.Infrastructure;

namespace MetaModel.Gateway.Tests;

/// <summary>
/// A response after which the gateway closes the connection says so (<c>Connection: close</c>), so that a keep-alive
/// client opens a new connection for its next request instead of failing on the closed one.
/// </summary>
public sealed class ConnectionReuseTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string Hello = """{"model":"metamodel","messages":[{"role":"user","content":"hello"}]}""";
    private static readonly string Big = new('x', 70 * 1024);
    private readonly GatewayHost _host = fixture.Host;

    public static TheoryData<string, string?> OversizedRequests => new()
    {
        { "v1/chat/completions", GatewayHost.AcmeKey },
        { "v1/chat/completions", null },
        { "v1/nothing", GatewayHost.AcmeKey },
    };

    [Theory]
    [MemberData(nameof(OversizedRequests))]
    public async Task AnOversizedBodyWithItsLength_ClosesTheConnection_AndTheNextRequestSucceeds(string path, string? key)
    {
        // One connection at most: every request after the first reuses it unless the gateway said it would close it.
        using HttpClient client = OneConnectionClient();
        string json = $$"""{"model":"metamodel","messages":[{"role":"user","content":"{{Big}}"}]}""";
        for (int i = 0; i < 5; i++)
        {
            // The next request waits for the one connection and takes it the moment the refusal is read, before the
            // gateway's close can reach the client: without the header it is sent on the closed connection and fails
            // with "The response ended prematurely".
            using HttpRequestMessage oversized = Request(path, key, json);
            using HttpRequestMessage hello = _host.Post(Hello);
            Task<HttpResponseMessage> refusing = client.SendAsync(oversized);
            Task<HttpResponseMessage> answering = client.SendAsync(hello);
            using HttpResponseMessage refused = await refusing;
            using HttpResponseMessage next = await answering;

            ((int)refused.StatusCode).Should().BeInRange(400, 499);
            refused.Headers.ConnectionClose.Should().BeTrue($"the {(int)refused.StatusCode} closes the connection");
            next.StatusCode.Should().Be(HttpStatusCode.OK, await next.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task AnOversizedChunkedBody_ClosesTheConnection_AndTheNextRequestSucceeds()
    {
        using HttpClient client = OneConnectionClient();
        for (int i = 0; i < 3; i++)
        {
            using (HttpRequestMessage oversized = _host.Post(string.Empty))
            {
                byte[] body = Encoding.UTF8.GetBytes(
                    $$"""{"model":"metamodel","messages":[{"role":"user","content":"{{Big}}"}]}""");
                oversized.Content = new StreamContent(new MemoryStream(body));
                oversized.Headers.TransferEncodingChunked = true;
                oversized.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using HttpResponseMessage refused = await client.SendAsync(oversized);
                refused.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
                refused.Headers.ConnectionClose.Should().BeTrue();
            }

            using HttpResponseMessage next = await client.SendAsync(_host.Post(Hello));
            next.StatusCode.Should().Be(HttpStatusCode.OK, await next.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task AnOrdinaryRefusal_KeepsTheConnection()
    {
        using HttpClient client = OneConnectionClient();
        using HttpResponseMessage refused = await client.SendAsync(_host.Post(Hello, key: null));

        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        refused.Headers.ConnectionClose.Should().NotBeTrue();
    }

    private HttpClient OneConnectionClient() =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = _host.BaseUrl };

    private HttpRequestMessage Request(string path, string? key, string json)
    {
        HttpRequestMessage request = _host.Post(json, key);
        request.RequestUri = new Uri(path, UriKind.Relative);
        return request;
    }
}
