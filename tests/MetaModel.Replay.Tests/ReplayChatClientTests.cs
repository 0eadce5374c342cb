using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace MetaModel.Replay.Tests;

public sealed class ReplayChatClientTests
{
    private const string LongResponse = "The answer is B, because iron in the door attracts the magnet.";

    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_BySampleId_ReturnsTheRecordedResponseAndCost(bool streaming)
    {
        using var client = new ReplayChatClient(CreateDataset(), "billed", _time);

        var response = await GetResponseAsync(client, "some other text", SampleIdOptions("q-1"), streaming);

        response.Text.Should().Be(LongResponse);
        response.Messages.Should().ContainSingle().Which.Role.Should().Be(ChatRole.Assistant);
        response.ModelId.Should().Be("billed");
        response.ResponseId.Should().NotBeNullOrEmpty();
        response.CreatedAt.Should().Be(Now);
        response.FinishReason.Should().Be(ChatFinishReason.Stop);
        response.AdditionalProperties.Should().ContainKey(MetaModelPropertyNames.ReportedCostUsd);
        response.AdditionalProperties![MetaModelPropertyNames.ReportedCostUsd].Should().Be(0.0042m);
        response.AdditionalProperties[MetaModelPropertyNames.ReportedCostIsEstimated].Should().Be(false);
        response.AdditionalProperties[ReplayPropertyNames.SampleId].Should().Be("q-1");
        response.Usage.Should().BeNull("a billed outcome has no token counts");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_ByLastUserMessage_FindsThePromptByText(bool streaming)
    {
        using var client = new ReplayChatClient(CreateDataset(), "billed", _time);
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "Be brief."),
            new(ChatRole.User, "What sticks to a fridge?"),
            new(ChatRole.Assistant, "Magnets."),
            new(ChatRole.User, "Second prompt"),
        ];

        var response = await GetResponseAsync(client, messages, options: null, streaming);

        response.Text.Should().Be("Short");
        response.AdditionalProperties![ReplayPropertyNames.SampleId].Should().Be("q-2");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_EstimatedOutcome_ReportsUsageAndEstimatedCost(bool streaming)
    {
        using var client = new ReplayChatClient(CreateDataset(), "estimated", _time);

        var response = await GetResponseAsync(client, "First prompt", options: null, streaming);

        response.Text.Should().BeEmpty("the outcome has no recorded response");
        response.AdditionalProperties![MetaModelPropertyNames.ReportedCostUsd].Should().Be(0.0001m);
        response.AdditionalProperties[MetaModelPropertyNames.ReportedCostIsEstimated].Should().Be(true);
        response.Usage!.InputTokenCount.Should().Be(12);
        response.Usage.OutputTokenCount.Should().Be(256);
        response.Usage.TotalTokenCount.Should().Be(268);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_UnknownSampleId_ThrowsNamingTheId(bool streaming)
    {
        using var client = new ReplayChatClient(CreateDataset(), "billed", _time);

        var act = () => GetResponseAsync(client, "First prompt", SampleIdOptions("missing-7"), streaming);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*'missing-7'*");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_UnknownText_ThrowsWithTheFirst60Characters(bool streaming)
    {
        using var client = new ReplayChatClient(CreateDataset(), "billed", _time);
        var text = new string('x', 60) + "TAIL-NOT-SHOWN";

        var act = () => GetResponseAsync(client, text, options: null, streaming);

        var error = (await act.Should().ThrowAsync<InvalidOperationException>()).Which;
        error.Message.Should().Contain(new string('x', 60)).And.NotContain("TAIL");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_ModelWithoutOutcomeForThePrompt_Throws(bool streaming)
    {
        using var client = new ReplayChatClient(CreateDataset(), "estimated", _time);

        var act = () => GetResponseAsync(client, "Second prompt", options: null, streaming);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*'estimated'*'q-2'*");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_NoUserMessageAndNoSampleId_Throws(bool streaming)
    {
        using var client = new ReplayChatClient(CreateDataset(), "billed", _time);

        var act = () => GetResponseAsync(client, [new ChatMessage(ChatRole.System, "First prompt")], null, streaming);

        await act.Should().ThrowAsync<InvalidOperationException>();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_SampleIdThatIsNotAString_Throws(bool streaming)
    {
        using var client = new ReplayChatClient(CreateDataset(), "billed", _time);
        var options = new ChatOptions { AdditionalProperties = new() { [ReplayPropertyNames.SampleId] = 1 } };

        var act = () => GetResponseAsync(client, "First prompt", options, streaming);

        await act.Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task GetResponse_EachCall_GetsAFreshResponseId()
    {
        using var client = new ReplayChatClient(CreateDataset(), "billed", _time);

        var first = await client.GetResponseAsync("First prompt");
        var second = await client.GetResponseAsync("First prompt");

        second.ResponseId.Should().NotBe(first.ResponseId);
    }

    [Fact]
    public async Task GetStreamingResponse_YieldsChunksWithCostAndFinishOnTheLastOnly()
    {
        using var client = new ReplayChatClient(CreateDataset(), "billed", _time);

        var updates = await client.GetStreamingResponseAsync("First prompt").ToListAsync();

        updates.Should().HaveCountGreaterThan(1).And.HaveCountLessThanOrEqualTo(4);
        string.Concat(updates.Select(u => u.Text)).Should().Be(LongResponse);
        updates.Select(u => u.ResponseId).Distinct().Should().ContainSingle();
        updates.Should().OnlyContain(u => u.ModelId == "billed" && u.Role == ChatRole.Assistant);
        updates[..^1].Should().OnlyContain(u => u.FinishReason == null && u.AdditionalProperties == null);
        updates[^1].FinishReason.Should().Be(ChatFinishReason.Stop);
        updates[^1].AdditionalProperties![MetaModelPropertyNames.ReportedCostUsd].Should().Be(0.0042m);
    }

    [Fact]
    public async Task GetStreamingResponse_EstimatedOutcome_PutsUsageOnTheLastUpdate()
    {
        using var client = new ReplayChatClient(CreateDataset(), "estimated", _time);

        var updates = await client.GetStreamingResponseAsync("First prompt").ToListAsync();

        updates[^1].Contents.OfType<UsageContent>().Should().ContainSingle().Which.Details.InputTokenCount.Should().Be(12);
        updates[..^1].SelectMany(u => u.Contents).OfType<UsageContent>().Should().BeEmpty();
    }

    [Fact]
    public async Task GetStreamingResponse_Cancelled_Throws()
    {
        using var client = new ReplayChatClient(CreateDataset(), "billed", _time);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var act = async () =>
            await client.GetStreamingResponseAsync("First prompt", cancellationToken: cancellation.Token).ToListAsync();

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Theory]
    [InlineData("", new[] { "" })]
    [InlineData("A", new[] { "A" })]
    [InlineData("abcdefgh", new[] { "ab", "cd", "ef", "gh" })]
    [InlineData("abcdefghi", new[] { "abc", "def", "ghi" })]
    [InlineData("a\U0001F600bc", new[] { "a\U0001F600", "bc" })]
    public void Split_MakesUpToFourChunksWithoutBreakingSurrogatePairs(string text, string[] expected)
    {
        ReplayChatClient.Split(text).Should().Equal(expected);
    }

    [Fact]
    public void GetRecordedScore_ReturnsTheScoreOfThisModel()
    {
        using var billed = new ReplayChatClient(CreateDataset(), "billed");
        using var estimated = new ReplayChatClient(CreateDataset(), "estimated");

        billed.GetRecordedScore("q-1").Should().Be(1);
        billed.GetRecordedScore("q-2").Should().BeNull();
        estimated.GetRecordedScore("q-1").Should().Be(0.5);
        estimated.Invoking(c => c.GetRecordedScore("q-2")).Should().Throw<KeyNotFoundException>();
    }

    [Fact]
    public void GetService_ReturnsMetadataAndItself()
    {
        using var client = new ReplayChatClient(CreateDataset(), "billed");

        client.GetService<ChatClientMetadata>()!.DefaultModelId.Should().Be("billed");
        client.GetService<ReplayChatClient>().Should().BeSameAs(client);
        client.GetService<IChatClient>().Should().BeSameAs(client);
        client.GetService(typeof(ReplayChatClient), "key").Should().BeNull();
        client.GetService<string>().Should().BeNull();
    }

    [Fact]
    public void Constructor_UnknownModel_Throws()
    {
        var act = () => new ReplayChatClient(CreateDataset(), "nobody");

        act.Should().Throw<ArgumentException>().WithMessage("*'nobody'*");
    }

    private static ChatOptions SampleIdOptions(string sampleId) =>
        new() { AdditionalProperties = new() { [ReplayPropertyNames.SampleId] = sampleId } };

    private static Task<ChatResponse> GetResponseAsync(
        ReplayChatClient client,
        string text,
        ChatOptions? options,
        bool streaming) =>
        GetResponseAsync(client, [new ChatMessage(ChatRole.User, text)], options, streaming);

    private static async Task<ChatResponse> GetResponseAsync(
        ReplayChatClient client,
        List<ChatMessage> messages,
        ChatOptions? options,
        bool streaming) =>
        streaming
            ? await client.GetStreamingResponseAsync(messages, options).ToChatResponseAsync()
            : await client.GetResponseAsync(messages, options);

    private static ReplayDataset CreateDataset() =>
        new(
            "fixture",
            "/fixture",
            ReplayFormat.RouterBench,
            [new ReplayModel("billed"), new ReplayModel("estimated", 1m, 2m)],
            [
                new ReplayPrompt(
                    "q-1",
                    "t",
                    "First prompt",
                    [
                        new("billed", new ReplayOutcome(1, 0.0042m, response: LongResponse)),
                        new(
                            "estimated",
                            new ReplayOutcome(0.5, 0.0001m, costIsEstimated: true, inputTokens: 12, outputTokens: 256)),
                    ]),
                new ReplayPrompt(
                    "q-2",
                    "t",
                    "Second prompt",
                    [new("billed", new ReplayOutcome(null, 0.001m, response: "Short"))]),
            ]);
}
