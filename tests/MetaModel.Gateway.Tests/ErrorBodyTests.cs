using System.Net;
using System.Text.Json;
using MetaModel.Gateway.Tests.Infrastructure;

namespace MetaModel.Gateway.Tests;

/// <summary>Every refusal has OpenAI's error body and the right status, streamed or not.</summary>
public sealed class ErrorBodyTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string Hello = """{"model":"metamodel","messages":[{"role":"user","content":"hello"}]}""";
    private readonly GatewayHost _host = fixture.Host;

    [Fact]
    public async Task BadJson_Is400InvalidJson()
    {
        JsonElement error =
            await ExpectErrorAsync(_host.Post("{\"model\": \"metamodel\", \"messages\": ["), HttpStatusCode.BadRequest);

        error.GetProperty("type").GetString().Should().Be("invalid_request_error");
        error.GetProperty("code").GetString().Should().Be("invalid_json");
        error.GetProperty("param").ValueKind.Should().Be(JsonValueKind.Null);
        error.GetProperty("message").GetString().Should().StartWith("The request body is not valid JSON: ")
            .And.Contain("LineNumber: 0").And.Contain("BytePositionInLine:").And.NotContain("System.");
    }

    [Fact]
    public async Task WrongJsonType_Is400InvalidJson()
    {
        JsonElement error =
            await ExpectErrorAsync(_host.Post("""{"model":"metamodel","messages":"hello"}"""), HttpStatusCode.BadRequest);

        error.GetProperty("code").GetString().Should().Be("invalid_json");
    }

    [Theory]
    [InlineData("\"messages\":\"hi\"", "messages", "'messages' must be an array of message objects.")]
    [InlineData("\"messages\":[\"hi\"]", "messages[0]", "'messages[0]' must be a message object.")]
    [InlineData("\"messages\":[{\"role\":5,\"content\":\"a\"}]", "messages[0].role", "'messages[0].role' must be a string.")]
    [InlineData("\"temperature\":\"hot\"", "temperature", "'temperature' must be a number.")]
    [InlineData("\"max_tokens\":1.5", "max_tokens", "'max_tokens' must be an integer.")]
    [InlineData("\"stream\":\"yes\"", "stream", "'stream' must be a boolean.")]
    [InlineData("\"stream_options\":[]", "stream_options", "'stream_options' must be an object.")]
    [InlineData("\"metadata\":[]", "metadata", "'metadata' must be an object whose values are strings.")]
    [InlineData("\"metadata\":{\"task\":5}", "metadata.task", "'metadata.task' must be a string.")]
    [InlineData("\"response_format\":{\"type\":[]}", "response_format.type", "'response_format.type' must be a string.")]
    public async Task WrongJsonType_NamesTheFieldAndWhatItMustBe_NeverADotNetType(
        string field,
        string param,
        string message)
    {
        string json = Hello.Replace("{\"model\"", "{" + field + ",\"model\"", StringComparison.Ordinal);
        if (field.StartsWith("\"messages\"", StringComparison.Ordinal))
        {
            json = "{" + field + ",\"model\":\"metamodel\"}";
        }

        JsonElement error = await ExpectErrorAsync(_host.Post(json), HttpStatusCode.BadRequest);

        error.GetProperty("type").GetString().Should().Be("invalid_request_error");
        error.GetProperty("code").GetString().Should().Be("invalid_json");
        error.GetProperty("param").GetString().Should().Be(param);
        error.GetProperty("message").GetString().Should().Be(message);
    }

    [Fact]
    public async Task UnknownUrl_Is404UnknownUrlNamingTheRequest()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/nothing");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", GatewayHost.AcmeKey);

        JsonElement error = await ExpectErrorAsync(request, HttpStatusCode.NotFound);

        error.GetProperty("type").GetString().Should().Be("invalid_request_error");
        error.GetProperty("code").GetString().Should().Be("unknown_url");
        error.GetProperty("param").ValueKind.Should().Be(JsonValueKind.Null);
        error.GetProperty("message").GetString().Should().StartWith("Unknown request URL: GET /v1/nothing. ")
            .And.Contain("POST /v1/chat/completions");
    }

    [Theory]
    [InlineData("GET", "v1/chat/completions", "POST")]
    [InlineData("DELETE", "v1/chat/completions", "POST")]
    [InlineData("POST", "v1/models", "GET")]
    [InlineData("PUT", "v1/models/small", "GET")]
    public async Task WrongMethod_Is405NamingTheRequestAndTheAllowedMethod(string method, string path, string allowed)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", GatewayHost.AcmeKey);
        using HttpResponseMessage response = await _host.Http.SendAsync(request);
        response.Content.Headers.Allow.Should().Contain(allowed);
        using var again = new HttpRequestMessage(new HttpMethod(method), path);

        JsonElement error = await ExpectErrorAsync(again, HttpStatusCode.MethodNotAllowed);

        error.GetProperty("type").GetString().Should().Be("invalid_request_error");
        error.GetProperty("code").GetString().Should().Be("method_not_allowed");
        error.GetProperty("message").GetString().Should().StartWith($"Method not allowed: {method} /{path}.")
            .And.Contain($"Allowed: {allowed}.");
    }

    [Fact]
    public async Task NoMessages_Is400NamingTheParameter()
    {
        JsonElement error =
            await ExpectErrorAsync(_host.Post("""{"model":"metamodel","messages":[]}"""), HttpStatusCode.BadRequest);

        error.GetProperty("param").GetString().Should().Be("messages");
        error.GetProperty("code").GetString().Should().Be("missing_required_parameter");
    }

    [Fact]
    public async Task UnknownRole_Is400NamingTheMessage()
    {
        JsonElement error = await ExpectErrorAsync(
            _host.Post("""{"model":"metamodel","messages":[{"role":"user","content":"a"},{"role":"robot","content":"b"}]}"""),
            HttpStatusCode.BadRequest);

        error.GetProperty("param").GetString().Should().Be("messages[1]");
    }

    [Theory]
    [InlineData("""[null]""")]
    [InlineData("""[{"role":"user","content":"a"},null]""")]
    [InlineData("""[{"role":"user","content":[{"type":"image_url","image_url":{"url":5}}]}]""")]
    [InlineData("""[{"role":"user","content":[{"type":"image_url","image_url":{"url":{"x":1}}}]}]""")]
    public async Task NullMessageOrNonStringImageUrl_Is400NamingTheMessage_Not500(string messages)
    {
        JsonElement error = await ExpectErrorAsync(
            _host.Post($$"""{"model":"metamodel","messages":{{messages}}}"""),
            HttpStatusCode.BadRequest);

        error.GetProperty("param").GetString().Should().StartWith("messages[");
        error.GetProperty("code").GetString().Should().Be("invalid_value");
    }

    [Theory]
    [InlineData(false, "data:text/plain;base64,aGVsbG8gd29ybGQ=", "text/plain")]
    [InlineData(true, "data:application/pdf;base64,JVBERi0xLjQK", "application/pdf")]
    [InlineData(false, " data:text/plain;base64,aGVsbG8gd29ybGQ=", "text/plain")]
    [InlineData(true, "\\tdata:application/pdf;base64,JVBERi0xLjQK", "application/pdf")]
    public async Task NonImageDataUrlInAnImagePart_Is400InvalidImageFormatNamingThePart_AndNoCandidateIsCalled(
        bool streaming,
        string url,
        string mediaType)
    {
        // OpenAI refuses such a part with 400 invalid_image_format. Passed on, it was counted as no prompt tokens in
        // the budget estimate, and no candidate would read it as an image.
        int calls = _host.Small.Calls + _host.Large.Calls;
        string json = $$$"""
            {"model":"metamodel","messages":[{"role":"system","content":"be brief"},{"role":"user","content":[
            {"type":"text","text":"What does this say?"},{"type":"image_url","image_url":{"url":"{{{url}}}"}}]}]}
            """;

        JsonElement error = await ExpectErrorAsync(_host.Post(WithStream(json, streaming)), HttpStatusCode.BadRequest);

        error.GetProperty("type").GetString().Should().Be("invalid_request_error");
        error.GetProperty("code").GetString().Should().Be("invalid_image_format");
        error.GetProperty("param").GetString().Should().Be("messages[1].content[1].image_url.url");
        error.GetProperty("message").GetString().Should()
            .Contain($"'{mediaType}'").And.Contain("'messages[1].content[1].image_url.url'").And.Contain("image types");
        (_host.Small.Calls + _host.Large.Calls).Should().Be(calls);
    }

    [Theory]
    [InlineData("file:///etc/passwd", "file")]
    [InlineData("ftp://127.0.0.1/cat.png", "ftp")]
    [InlineData(" file:///C:/secrets.png", "file")]
    public async Task ImageUrlThatIsNotAWebAddress_Is400InvalidImageUrlNamingThePart_AndNoCandidateIsCalled(
        string url,
        string scheme)
    {
        int calls = _host.Small.Calls + _host.Large.Calls;
        string json = $$$"""
            {"model":"metamodel","messages":[{"role":"user","content":[
            {"type":"text","text":"Describe it."},{"type":"image_url","image_url":{"url":"{{{url}}}"}}]}]}
            """;

        JsonElement error = await ExpectErrorAsync(_host.Post(json), HttpStatusCode.BadRequest);

        error.GetProperty("code").GetString().Should().Be("invalid_image_url");
        error.GetProperty("param").GetString().Should().Be("messages[0].content[1].image_url.url");
        error.GetProperty("message").GetString().Should().Contain($"'{scheme}'").And.Contain("http or https");
        (_host.Small.Calls + _host.Large.Calls).Should().Be(calls);
    }

    [Theory]
    [InlineData("data:image/png;base64,iVBORw0KGgo=")]
    [InlineData(" data:image/png;base64,iVBORw0KGgo=")]
    public async Task ImageDataUrlInAnImagePart_IsAnImage_SoCandidatesWithoutVisionAreExcluded(string url)
    {
        string json = $$$"""
            {"model":"metamodel","messages":[{"role":"user","content":[
            {"type":"image_url","image_url":{"url":"{{{url}}}"}}]}]}
            """;

        JsonElement error = await ExpectErrorAsync(_host.Post(json), HttpStatusCode.BadRequest);

        error.GetProperty("code").GetString().Should().Be("no_eligible_candidate");
    }

    [Theory]
    [InlineData("temperature", "1e39", "from 0 to 2")]
    [InlineData("temperature", "-0.5", "from 0 to 2")]
    [InlineData("top_p", "1.5", "from 0 to 1")]
    [InlineData("presence_penalty", "-3", "from -2 to 2")]
    [InlineData("frequency_penalty", "1e39", "from -2 to 2")]
    [InlineData("max_tokens", "-5", "at least 1")]
    [InlineData("max_tokens", "0", "at least 1")]
    [InlineData("max_completion_tokens", "-1", "at least 1")]
    public async Task SettingOutOfRange_Is400NamingTheParameter_AndNoCandidateIsCalled(string name, string value, string rule)
    {
        int calls = _host.Small.Calls + _host.Large.Calls;

        JsonElement error = await ExpectErrorAsync(
            _host.Post($$"""{"model":"metamodel","messages":[{"role":"user","content":"a"}],"{{name}}":{{value}}}"""),
            HttpStatusCode.BadRequest);

        error.GetProperty("param").GetString().Should().Be(name);
        error.GetProperty("code").GetString().Should().Be("invalid_value");
        error.GetProperty("message").GetString().Should().Contain($"'{name}' must be").And.Contain(rule);
        (_host.Small.Calls + _host.Large.Calls).Should().Be(calls);
    }

    [Fact]
    public async Task Tools_Are400Unsupported()
    {
        JsonElement error = await ExpectErrorAsync(
            _host.Post(
                """{"model":"metamodel","messages":[{"role":"user","content":"a"}],"tools":""" +
                """[{"type":"function","function":{"name":"f"}}]}"""),
            HttpStatusCode.BadRequest);

        error.GetProperty("code").GetString().Should().Be("unsupported_parameter");
        error.GetProperty("param").GetString().Should().Be("tools");
    }

    [Fact]
    public async Task UnknownModel_Is404ModelNotFound()
    {
        JsonElement error = await ExpectErrorAsync(
            _host.Post("""{"model":"gpt-4o","messages":[{"role":"user","content":"hello"}]}"""),
            HttpStatusCode.NotFound);

        error.GetProperty("code").GetString().Should().Be("model_not_found");
        error.GetProperty("param").GetString().Should().Be("model");
        error.GetProperty("message").GetString().Should().Contain("gpt-4o");
    }

    [Theory]
    [InlineData("metamodel", GatewayHost.AcmeKey)]
    [InlineData("small", GatewayHost.AcmeKey)]
    [InlineData("metamodel", GatewayHost.BrokeKey)]
    public async Task MaxTokensBeyondEveryContextWindow_Is400ContextLengthExceeded_NotABudgetRefusal(
        string model,
        string key)
    {
        // Every candidate has the default context window of 128,000 tokens; 200,000 completion tokens of the small
        // candidate would also cost more than acme's budget, and tenant broke has none at all.
        JsonElement error = await ExpectErrorAsync(
            _host.Post($$"""{"model":"{{model}}","max_tokens":200000,"messages":[{"role":"user","content":"hello"}]}""", key),
            HttpStatusCode.BadRequest);

        error.GetProperty("type").GetString().Should().Be("invalid_request_error");
        error.GetProperty("code").GetString().Should().Be("context_length_exceeded");
        error.GetProperty("param").GetString().Should().Be("messages");
        error.GetProperty("message").GetString().Should().Contain("128000 tokens").And.Contain("200000 in the completion")
            .And.NotContain("budget");
    }

    [Fact]
    public async Task MaxTokensWithinAContextWindow_StillMeetsTheBudget()
    {
        const string Json = """{"model":"metamodel","max_tokens":100000,"messages":[{"role":"user","content":"hi"}]}""";
        JsonElement error = await ExpectErrorAsync(_host.Post(Json, GatewayHost.BrokeKey), HttpStatusCode.TooManyRequests);

        error.GetProperty("code").GetString().Should().Be("insufficient_quota");
    }

    [Fact]
    public async Task UnknownOrUnsupportedParameters_AreIgnored()
    {
        const string Json = """
            {"model":"metamodel","logprobs":true,"top_logprobs":3,"logit_bias":{"50256":-100},"service_tier":"auto",
             "made_up":[1],"messages":[{"role":"user","content":"hello"}]}
            """;
        using HttpResponseMessage response = await _host.Http.SendAsync(_host.Post(Json));

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BodyOverLimitWithLength_Is413()
    {
        string big = new('x', 70 * 1024);
        JsonElement error = await ExpectErrorAsync(
            _host.Post($$"""{"model":"metamodel","messages":[{"role":"user","content":"{{big}}"}]}"""),
            HttpStatusCode.RequestEntityTooLarge);

        error.GetProperty("code").GetString().Should().Be("request_too_large");
    }

    [Fact]
    public async Task BodyOverLimitChunked_Is413FromKestrel()
    {
        string big = new('x', 70 * 1024);
        HttpRequestMessage request = _host.Post(string.Empty);
        var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(
            $$"""{"model":"metamodel","messages":[{"role":"user","content":"{{big}}"}]}"""));
        request.Content = new StreamContent(new UnknownLengthStream(stream));
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        JsonElement error = await ExpectErrorAsync(request, HttpStatusCode.RequestEntityTooLarge);

        error.GetProperty("code").GetString().Should().Be("request_too_large");
    }

    [Fact]
    public async Task TooManyMessages_Is413NamingMessages()
    {
        string messages = string.Join(",", Enumerable.Repeat("""{"role":"user","content":"hi"}""", 17));
        JsonElement error = await ExpectErrorAsync(
            _host.Post($$"""{"model":"metamodel","messages":[{{messages}}]}"""),
            HttpStatusCode.RequestEntityTooLarge);

        error.GetProperty("param").GetString().Should().Be("messages");
        error.GetProperty("message").GetString().Should().Contain("17 messages");
    }

    [Fact]
    public async Task TooManyCharacters_Is413()
    {
        string text = new('y', 20_001);
        JsonElement error = await ExpectErrorAsync(
            _host.Post($$"""{"model":"metamodel","messages":[{"role":"user","content":"{{text}}"}]}"""),
            HttpStatusCode.RequestEntityTooLarge);

        error.GetProperty("message").GetString().Should().Contain("20000 characters");
    }

    [Theory]
    [InlineData(null, "No API key", "no API key")]
    [InlineData("sk-unknown", "Incorrect API key", "an unknown API key")]
    [InlineData("", "No API key", "no API key")]
    public async Task MissingOrUnknownKey_Is401InvalidApiKey(string? key, string message, string logged)
    {
        HttpRequestMessage request = _host.Post(Hello, key: null);
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        }

        JsonElement error = await ExpectErrorAsync(request, HttpStatusCode.Unauthorized);

        error.GetProperty("code").GetString().Should().Be("invalid_api_key");
        error.GetProperty("message").GetString().Should().StartWith(message);
        _host.Log.Messages.Should().Contain($"Refused a request from 127.0.0.1 with {logged}.");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExhaustedBudget_Is429InsufficientQuota(bool streaming)
    {
        JsonElement error = await ExpectErrorAsync(
            _host.Post(WithStream(Hello, streaming), GatewayHost.BrokeKey),
            HttpStatusCode.TooManyRequests);

        error.GetProperty("type").GetString().Should().Be("insufficient_quota");
        error.GetProperty("code").GetString().Should().Be("insufficient_quota");
    }

    [Fact]
    public async Task RequestThatMayCostMoreThanIsLeft_Is429NamingWhatIsLeftAndHowToAskForLess()
    {
        // 0.03 USD is left; without max_tokens the request reserves 1,024 completion tokens at 0.002 USD each.
        JsonElement error = await ExpectErrorAsync(
            _host.Post("""{"model":"small","messages":[{"role":"user","content":"hi"}]}""", GatewayHost.TightKey),
            HttpStatusCode.TooManyRequests);

        error.GetProperty("code").GetString().Should().Be("insufficient_quota");
        error.GetProperty("message").GetString().Should().Contain("0.03 USD")
            .And.Contain("up to 1024 completion tokens").And.Contain("max_tokens");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NoEligibleCandidate_Is400ListingEveryExclusion(bool streaming)
    {
        JsonElement error =
            await ExpectErrorAsync(_host.Post(WithStream(Hello, streaming), GatewayHost.MarsKey), HttpStatusCode.BadRequest);

        error.GetProperty("code").GetString().Should().Be("no_eligible_candidate");
        JsonElement[] exclusions = [.. error.GetProperty("exclusions").EnumerateArray()];
        exclusions.Select(e => e.GetProperty("candidate").GetString()).Should().BeEquivalentTo(["small", "large"]);
        exclusions.Should().OnlyContain(e => e.GetProperty("kind").GetString() == "Constraint");
        error.GetProperty("message").GetString().Should().Contain("region");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EveryCandidateFailed_Is502(bool streaming)
    {
        JsonElement error = await ExpectErrorAsync(
            _host.Post(
                WithStream(Hello.Replace("metamodel", "failing", StringComparison.Ordinal), streaming),
                GatewayHost.FailingKey),
            HttpStatusCode.BadGateway);

        error.GetProperty("type").GetString().Should().Be("server_error");
        error.GetProperty("code").GetString().Should().Be("all_candidates_failed");
        error.GetProperty("message").GetString().Should().Contain("broken");

        // The candidate failed with "Connection refused (127.0.0.1:8000)": the caller learns the candidate, the kind of
        // fault and the decision, and only the server's log has the message with the address.
        string message = error.GetProperty("message").GetString()!;
        message.Should().Contain("broken: connection failed")
            .And.NotContain("127.0.0.1").And.NotContain("Connection refused").And.NotContain("Exception");
        string decisionId = System.Text.RegularExpressions.Regex.Match(message, "Decision ([^;]+);").Groups[1].Value;
        decisionId.Should().NotBeEmpty(message);
        _host.Log.Messages.Should().Contain(m =>
            m.Contains(decisionId, StringComparison.Ordinal) && m.Contains("127.0.0.1:8000", StringComparison.Ordinal));
    }

    private static string WithStream(string json, bool streaming) =>
        streaming ? json.Insert(json.Length - 1, ",\"stream\":true") : json;

    private async Task<JsonElement> ExpectErrorAsync(HttpRequestMessage request, HttpStatusCode status)
    {
        using HttpResponseMessage response = await _host.Http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(status, body);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        using JsonDocument document = JsonDocument.Parse(body);
        JsonElement error = document.RootElement.GetProperty("error");
        string[] names = [.. error.EnumerateObject().Select(p => p.Name)];
        names.Should().StartWith(["message", "type", "param", "code"]);
        error.GetProperty("message").GetString().Should().NotBeNullOrWhiteSpace();
        return error.Clone();
    }

    /// <summary>Hides the length so the client sends the body chunked and only Kestrel's limit can stop it.</summary>
    private sealed class UnknownLengthStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
