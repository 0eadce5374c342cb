using MetaModel.Candidates;
using MetaModel.Policies;
using MetaModel.Testing;
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
        var logger = new ListLogger<MetaModelChatClient>();
        using var router = new MetaModelChatClient(
            [new ModelCandidate("B", FakeChatClient.Answering("b", "four"))],
            new OrderedRoutingPolicy(),
            new MetaModelOptions { EnableSensitiveTelemetryData = sensitive },
            logger: logger);

        await Chat.CallAsync(router, streaming: false, "secret question");

        logger.Entries.Select(e => e.Id.Name).Should().Contain(["Decided", "RequestSucceeded"]);
        logger.Entries.Single(e => e.Id.Name == "RequestSucceeded").Id.Id.Should().Be(6);
        logger.Entries.Any(e => e.Message.Contains("secret question", StringComparison.Ordinal)).Should().Be(sensitive);
        if (sensitive)
        {
            logger.Entries.Single(e => e.Id.Name == "PromptContent").Level.Should().Be(LogLevel.Trace);
        }
    }

    [Fact]
    public async Task Call_AllFail_LogsRequestFailedAsWarning()
    {
        var logger = new ListLogger<MetaModelChatClient>();
        using var router = new MetaModelChatClient(
            [new ModelCandidate("A", FakeChatClient.Failing("a", () => new TimeoutException("slow")))],
            new OrderedRoutingPolicy(),
            logger: logger);

        Func<Task> call = () => router.GetResponseAsync("hi");

        await call.Should().ThrowAsync<MetaModel.Routing.RoutingFailedException>();
        logger.Entries.Single(e => e.Id.Id == 7).Level.Should().Be(LogLevel.Warning);
    }
}
