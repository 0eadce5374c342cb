using System.ClientModel;
using System.ClientModel.Primitives;

namespace MetaModel.Tests.Fakes;

/// <summary>A buffered HTTP response for building the OpenAI client's exceptions in tests.</summary>
public sealed class FakePipelineResponse : PipelineResponse
{
    private readonly BinaryData _content;
    private readonly FakeHeaders _headers;

    public FakePipelineResponse(int status, string body, IReadOnlyDictionary<string, string>? headers = null)
    {
        Status = status;
        _content = BinaryData.FromString(body);
        _headers = new FakeHeaders(headers ?? new Dictionary<string, string>());
        ContentStream = _content.ToStream();
    }

    public override int Status { get; }

    public override string ReasonPhrase => "scripted";

    public override Stream? ContentStream { get; set; }

    public override BinaryData Content => _content;

    protected override PipelineResponseHeaders HeadersCore => _headers;

    /// <summary>Builds the exception the OpenAI client throws for an error status.</summary>
    public static ClientResultException Error(
        int status,
        string code = "error",
        string message = "scripted error",
        IReadOnlyDictionary<string, string>? headers = null) =>
        new(new FakePipelineResponse(
            status,
            $$$"""{"error":{"message":"{{{message}}}","type":"invalid_request_error","param":null,"code":"{{{code}}}"}}""",
            headers));

    public override BinaryData BufferContent(CancellationToken cancellationToken = default) => _content;

    public override ValueTask<BinaryData> BufferContentAsync(CancellationToken cancellationToken = default) => new(_content);

    public override void Dispose()
    {
    }

    private sealed class FakeHeaders : PipelineResponseHeaders
    {
        private readonly Dictionary<string, string> _values;

        public FakeHeaders(IReadOnlyDictionary<string, string> values)
        {
            _values = new Dictionary<string, string>(values, StringComparer.OrdinalIgnoreCase);
        }

        public override bool TryGetValue(string name, out string? value) => _values.TryGetValue(name, out value);

        public override bool TryGetValues(string name, out IEnumerable<string>? values)
        {
            bool found = _values.TryGetValue(name, out string? value);
            values = found ? [value!] : null;
            return found;
        }

        public override IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _values.GetEnumerator();
    }
}
