using MetaModel.Candidates;
using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Recording;
using MetaModel.Compliance.Sqlite;
using MetaModel.Compliance.Tests.Fakes;
using MetaModel.Policies;
using MetaModel.Routing;
using MetaModel.Testing;
using Microsoft.Extensions.AI;

namespace MetaModel.Compliance.Tests.Recording;

public sealed class ContentCaptureTests : IDisposable
{
    private const string ApiKey = "sk-proj-LeakedKey0123456789abcdefXYZ";
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_CaptureOff_StoresNoPromptOrAnswerText(bool streaming)
    {
        var store = new GatedStore();
        var recorder = new ComplianceLogRecorder(store, ComplianceLogRecorderTests.Options());
        using (MetaModelChatClient client = Router(recorder, new FakeChatClient("The capital is Paris.")))
        {
            await CallAsync(client, streaming, "What is the capital of France? I am jane@example.com");
        }

        await recorder.DisposeAsync();
        List<LogEntry> entries = await LogReading.AllAsync(store, "test");
        entries.Should().NotContain(e => e.Kind == LogEntryKind.Content);
        string all = string.Concat(entries.Select(e => e.PayloadText));
        all.Should().NotContain("capital").And.NotContain("Paris").And.NotContain("jane@example.com");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_CaptureOn_StoresRedactedPromptAndAnswer(bool streaming)
    {
        var store = new GatedStore();
        ComplianceLogOptions options = ComplianceLogRecorderTests.Options();
        options.CaptureContent = true;
        var recorder = new ComplianceLogRecorder(store, options);
        using (MetaModelChatClient client = Router(recorder, new FakeChatClient("Sure, mail bob@example.org about it.")))
        {
            await CallAsync(client, streaming, $"My key is {ApiKey} and my mail is jane@example.com. What is 2+2?");
        }

        await recorder.DisposeAsync();
        LogEntry content = (await LogReading.AllAsync(store, "test"))
            .Should().ContainSingle(e => e.Kind == LogEntryKind.Content).Subject;
        string prompt = LogReading.Json(content).GetProperty("prompt").GetString()!;
        string answer = LogReading.Json(content).GetProperty("answer").GetString()!;
        prompt.Should().Contain("What is 2+2?").And.Contain("[redacted:Secret]").And.Contain("[redacted:EmailAddress]");
        prompt.Should().NotContain(ApiKey).And.NotContain("jane@example.com");
        answer.Should().Contain("Sure, mail").And.NotContain("bob@example.org");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_ProviderErrorQuotesApiKey_KeyIsInNoRecordLogLineOrExceptionMessage(bool streaming)
    {
        string path = _files.File("leak.db");
        var recorderLog = new ListLogger<ComplianceLogRecorder>();
        var routerLog = new ListLogger<MetaModelChatClient>();
        SqliteComplianceLogStore store = SqliteComplianceLogStore.Open(path);
        ComplianceLogOptions options = ComplianceLogRecorderTests.Options();
        options.CaptureContent = true;
        var recorder = new ComplianceLogRecorder(store, options, logger: recorderLog);
        Func<Exception> error = () =>
            new HttpRequestException(
                $"401 Unauthorized: Incorrect API key provided: {ApiKey}. Header was 'Authorization: Bearer {ApiKey}'.");
        Exception? thrown;
        using (MetaModelChatClient client = Router(
            recorder,
            new FakeChatClient(error: error),
            new FakeChatClient(error: error),
            routerLog))
        {
            thrown = await Record.ExceptionAsync(() => CallAsync(client, streaming, "hello"));
        }

        await recorder.DisposeAsync();
        await store.DisposeAsync();

        thrown.Should().BeOfType<RoutingFailedException>();
        thrown!.Message.Should().NotContain(ApiKey).And.Contain("[redacted:Secret]");
        // Each logged line with its exception, as a log sink would write it.
        string[] lines = [.. recorderLog.Entries.Concat(routerLog.Entries).Select(e => $"{e.Message} {e.Exception}")];
        lines.Should().NotBeEmpty().And.NotContain(l => l.Contains(ApiKey, StringComparison.Ordinal));
        byte[] file = await File.ReadAllBytesAsync(path);
        byte[] wal = File.Exists(path + "-wal") ? await File.ReadAllBytesAsync(path + "-wal") : [];
        System.Text.Encoding.UTF8.GetString(file).Should().NotContain("LeakedKey");
        System.Text.Encoding.UTF8.GetString(wal).Should().NotContain("LeakedKey");
        SqliteComplianceLogStore reopened = SqliteComplianceLogStore.OpenExisting(path);
        await using (reopened)
        {
            List<LogEntry> entries = await LogReading.AllAsync(reopened, "test");
            entries.Should().Contain(e => e.Kind == LogEntryKind.Attempt);
            entries.Should().NotContain(e => e.PayloadText.Contains("LeakedKey", StringComparison.Ordinal));
            entries.Where(e => e.Kind == LogEntryKind.Attempt)
                .Should().OnlyContain(e =>
                    LogReading.Json(e).GetProperty("errorMessage").GetString()!.Contains("[redacted:Secret]"));
        }
    }

    private static MetaModelChatClient Router(
        ComplianceLogRecorder recorder,
        FakeChatClient first,
        FakeChatClient? second = null,
        Microsoft.Extensions.Logging.ILogger<MetaModelChatClient>? logger = null)
    {
        var candidates = new List<IModelCandidate> { new ModelCandidate("A", first, new ModelPricing(1m, 2m)) };
        if (second is not null)
        {
            candidates.Add(new ModelCandidate("B", second));
        }

        return new MetaModelChatClient(candidates, new OrderedRoutingPolicy(), recorder: recorder, logger: logger);
    }

    private static async Task CallAsync(IChatClient client, bool streaming, string prompt)
    {
        var options = new ChatOptions().WithTenant("acme").WithUser("jane");
        List<ChatMessage> messages = [new ChatMessage(ChatRole.User, prompt)];
        if (!streaming)
        {
            _ = await client.GetResponseAsync(messages, options);
            return;
        }

        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(messages, options))
        {
            _ = update;
        }
    }
}
