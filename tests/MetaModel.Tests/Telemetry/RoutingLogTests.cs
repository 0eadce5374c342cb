using MetaModel.Candidates;
using MetaModel.Policies;
using MetaModel.Tests.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace MetaModel.Tests.Telemetry;

public sealed class RoutingLogTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_TraceLevel_PromptLoggedOnlyWhenSensitiveDataIsEnabled(bool sensitive)
    {
        var logger = new ListLogger();
        using var router = new MetaModelChatClient(
            [new ModelCandidate("B", FakeChatClient.Answering("b", "four"))],
            new OrderedRoutingPolicy(),
            new MetaModelOptions { EnableSensitiveTelemetryData = sensitive },
            logger: logger);

        await Chat.CallAsync(router, streaming: false, "secret question");

        logger.Entries.Select(e => e.EventId.Name).Should().Contain(["Decided", "RequestSucceeded"]);
        logger.Entries.Single(e => e.EventId.Name == "RequestSucceeded").EventId.Id.Should().Be(6);
        logger.Entries.Any(e => e.Message.Contains("secret question", StringComparison.Ordinal)).Should().Be(sensitive);
        if (sensitive)
        {
            logger.Entries.Single(e => e.EventId.Name == "PromptContent").Level.Should().Be(LogLevel.Trace);
        }
    }

    [Fact]
    public async Task Call_AllFail_LogsRequestFailedAsWarning()
    {
        var logger = new ListLogger();
        using var router = new MetaModelChatClient(
            [new ModelCandidate("A", FakeChatClient.Failing("a", () => new TimeoutException("slow")))],
            new OrderedRoutingPolicy(),
            logger: logger);

        Func<Task> call = () => router.GetResponseAsync("hi");

        await call.Should().ThrowAsync<MetaModel.Routing.RoutingFailedException>();
        logger.Entries.Single(e => e.EventId.Id == 7).Level.Should().Be(LogLevel.Warning);
    }

    private sealed class ListLogger : ILogger<MetaModelChatClient>
    {
        public List<(LogLevel Level, EventId EventId, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add((logLevel, eventId, formatter(state, exception)));
            }
        }
    }
}
