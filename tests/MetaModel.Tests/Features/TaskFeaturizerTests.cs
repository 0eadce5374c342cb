using MetaModel.Features;
using MetaModel.Routing;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Features;

public sealed class TaskFeaturizerTests
{
    private static readonly ChatMessage[] s_messages =
        [new(ChatRole.User, "Summarize the attached contract in three bullet points.")];

    [Fact]
    public async Task Features_AreTheInnerFeaturesFollowedByTheLabelBlock()
    {
        var inner = new HashingPromptFeaturizer();
        var featurizer = new TaskFeaturizer(inner, taskSlots: 16);
        var expected = new float[inner.Dimension];
        inner.Featurize(s_messages, expected);
        var features = new float[featurizer.Dimension];

        await featurizer.FeaturizeAsync(s_messages, "summary", features);

        featurizer.Dimension.Should().Be(inner.Dimension + 16);
        features[..inner.Dimension].Should().Equal(expected);
        float[] block = features[inner.Dimension..];
        block.Count(v => v != 0).Should().Be(2);
        block.Where(v => v != 0).Should().OnlyContain(v => Math.Abs(Math.Abs(v) - MathF.Sqrt(0.5f)) < 1e-6f);
    }

    [Fact]
    public async Task WithoutALabel_TheBlockIsZero_AndOverwritesWhatWasThere()
    {
        var featurizer = new TaskFeaturizer(new HashingPromptFeaturizer());
        var features = Enumerable.Repeat(9f, featurizer.Dimension).ToArray();

        await featurizer.FeaturizeAsync(s_messages, features);

        features[^featurizer.TaskSlots..].Should().OnlyContain(v => v == 0);
        features.Should().NotContain(9f);
    }

    [Fact]
    public void Labels_MapToFixedSlots_InEveryInstance_AndDistinctLabelsGetDistinctBlocks()
    {
        var first = new TaskFeaturizer(new HashingPromptFeaturizer());
        var second = new TaskFeaturizer(new HashingPromptFeaturizer());
        var blocks = new List<float[]>();
        for (int i = 0; i < 60; i++)
        {
            var a = new float[first.TaskSlots];
            var b = new float[second.TaskSlots];
            first.WriteTask($"task-{i}", a);
            second.WriteTask($"task-{i}", b);
            a.Should().Equal(b);
            blocks.Add(a);
        }

        for (int i = 0; i < blocks.Count; i++)
        {
            for (int j = i + 1; j < blocks.Count; j++)
            {
                blocks[i].Should().NotEqual(blocks[j], $"task-{i} and task-{j} must be told apart");
            }
        }

        // Pinned: a model learned in one process must find the label in the same slots in another.
        var sql = new float[32];
        first.WriteTask("sql", sql);
        string.Join(",", sql.Select((v, i) => (v, i)).Where(p => p.v != 0).Select(p => $"{p.i}:{Math.Sign(p.v)}"))
            .Should().Be(PinnedSqlSlots);
    }

    [Fact]
    public void Labels_ThatReadTheSame_InComposedOrDecomposedForm_AreOneLabel()
    {
        var featurizer = new TaskFeaturizer(new HashingPromptFeaturizer(), taskSlots: 1024);
        var composed = new float[featurizer.TaskSlots];
        var decomposed = new float[featurizer.TaskSlots];
        var other = new float[featurizer.TaskSlots];

        featurizer.WriteTask("r\u00E9sum\u00E9", composed);
        featurizer.WriteTask("re\u0301sume\u0301", decomposed);
        featurizer.WriteTask("resume", other);

        decomposed.Should().Equal(composed);
        other.Should().NotEqual(composed);
    }

    [Fact]
    public void ALabelThatIsNotValidUnicode_StillGetsABlock()
    {
        var featurizer = new TaskFeaturizer(new HashingPromptFeaturizer());
        var block = new float[featurizer.TaskSlots];

        featurizer.WriteTask("broken\uD800", block);

        block.Count(v => v != 0).Should().Be(2);
    }

    [Fact]
    public async Task AnInnerFeaturizerThatCompletesLater_StillGetsTheLabelBlock()
    {
        var featurizer = new TaskFeaturizer(new SlowFeaturizer(), taskSlots: 4);
        var features = new float[featurizer.Dimension];

        await featurizer.FeaturizeAsync(s_messages, "x", features);

        features[..3].Should().Equal(1f, 2f, 3f);
        features[3..].Count(v => v != 0).Should().Be(2);
    }

    [Fact]
    public async Task BadArguments_AreRefusedWithTheProblemNamed()
    {
        FluentActions.Invoking(() => new TaskFeaturizer(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => new TaskFeaturizer(new HashingPromptFeaturizer(), 1))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("taskSlots");
        var featurizer = new TaskFeaturizer(new HashingPromptFeaturizer());

        Func<Task> wrongLength = async () => await featurizer.FeaturizeAsync(s_messages, "x", new float[64]);

        (await wrongLength.Should().ThrowAsync<ArgumentException>()).WithMessage("*64 elements*writes 96*");
        FluentActions.Invoking(() => featurizer.WriteTask("x", new float[3]))
            .Should().Throw<ArgumentException>().WithMessage("*3 elements*32*");
    }

    private const string PinnedSqlSlots = "19:-1,27:-1";

    private sealed class SlowFeaturizer : IPromptFeaturizer
    {
        public int Dimension => 3;

        public async ValueTask FeaturizeAsync(
            IEnumerable<ChatMessage> messages,
            Memory<float> destination,
            CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            new float[] { 1, 2, 3 }.CopyTo(destination);
        }
    }
}
