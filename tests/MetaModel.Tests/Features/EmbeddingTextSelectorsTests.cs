using MetaModel.Features;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Features;

public class EmbeddingTextSelectorsTests
{
    [Fact]
    public void LastUserMessage_SkipsLaterAssistantAndEarlierUserMessages()
    {
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "be brief"),
            new(ChatRole.User, "first question"),
            new(ChatRole.Assistant, "first answer"),
            new(ChatRole.User, "second question"),
            new(ChatRole.Assistant, "partial answer"),
        ];

        EmbeddingTextSelectors.LastUserMessage(messages).Should().Be("second question");
    }

    [Fact]
    public void LastUserMessage_WithoutUserMessage_IsEmpty()
    {
        EmbeddingTextSelectors.LastUserMessage([new ChatMessage(ChatRole.System, "be brief")]).Should().BeEmpty();
        EmbeddingTextSelectors.LastUserMessage([]).Should().BeEmpty();
    }

    [Theory]
    [InlineData("short text", 20, "short text")]
    [InlineData("  padded", 20, "padded")]
    [InlineData("alpha beta gamma", 10, "beta gamma")]
    [InlineData("alpha beta gamma", 9, "gamma")]
    [InlineData("alpha beta gamma", 11, "beta gamma")]
    [InlineData("alpha beta gamma", 6, "gamma")]
    [InlineData("alpha\nbeta", 4, "beta")]
    [InlineData("abcdefghij", 4, "ghij")]
    [InlineData("alpha bet   ", 5, "et   ")]
    public void LastUserMessageTail_KeepsTheEnd_FromAWordBoundary(string text, int max, string expected)
    {
        var select = EmbeddingTextSelectors.LastUserMessageTail(max);

        select([new ChatMessage(ChatRole.User, text)]).Should().Be(expected);
    }

    [Fact]
    public void LastUserMessageTail_NeverStartsInsideASurrogatePair()
    {
        string text = "x" + string.Concat(Enumerable.Repeat("\U0001F600", 4));
        var select = EmbeddingTextSelectors.LastUserMessageTail(3);

        string tail = select([new ChatMessage(ChatRole.User, text)]);

        tail.Should().Be("\U0001F600");
    }

    [Fact]
    public void LastUserMessageTail_RejectsNonPositiveLength()
    {
        FluentActions.Invoking(() => EmbeddingTextSelectors.LastUserMessageTail(0))
            .Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task Featurizer_WithTailSelector_EmbedsOnlyTheQuestionAfterASharedPreamble()
    {
        using var generator = new FakeEmbeddingGenerator();
        var featurizer = new EmbeddingPromptFeaturizer(
            generator,
            new() { Dimension = 4, TextSelector = EmbeddingTextSelectors.LastUserMessageTail(16) });
        string prompt = string.Concat(Enumerable.Repeat("Example question. Answer: A\n\n", 20)) + "Why is the sky blue?";

        await featurizer.FeaturizeAsync(
            [new ChatMessage(ChatRole.System, "be brief"), new(ChatRole.User, prompt)],
            new float[4]);

        generator.Inputs.Should().Equal("is the sky blue?");
    }
}
