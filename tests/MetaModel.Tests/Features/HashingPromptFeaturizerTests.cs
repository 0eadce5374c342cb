using System.Numerics.Tensors;
using MetaModel.Features;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Features;

public class HashingPromptFeaturizerTests
{
    private readonly HashingPromptFeaturizer _featurizer = new();

    [Fact]
    public void StableHash_IsAFixedFunction_NotProcessRandomized()
    {
        // Golden values (checked against an independent implementation of the definition): if these change,
        // every persisted model trained on hashed features becomes invalid.
        StableHash.OfWord("").Should().Be(0UL);
        StableHash.OfWord("a").Should().Be(GoldenA);
        StableHash.OfWord("routing").Should().Be(GoldenRouting);
        StableHash.OfWord("Routing").Should().Be(GoldenRouting);
        StableHash.OfWord("routing").Should().NotBe(StableHash.OfWord("routinh"));
        StableHash.OfWord("привет").Should().Be(ReferenceFeaturizer.WordHash("привет"));
        StableHash.Mix(StableHash.OfWord("routing"), 1).Should().NotBe(StableHash.Mix(StableHash.OfWord("routing"), 2));
    }

    [Fact]
    public void KeywordTable_FindsEveryKeywordByItsWordHash_InAnyCase_AndNoOrdinaryWord()
    {
        foreach (string word in ReferenceFeaturizer.CodeKeywords)
        {
            KeywordTable.Lookup(StableHash.OfWord(word)).Should().Be(KeywordTable.Code, word);
            KeywordTable.Lookup(StableHash.OfWord(word.ToUpperInvariant())).Should().Be(KeywordTable.Code, word);
        }

        foreach (string word in ReferenceFeaturizer.MathKeywords)
        {
            KeywordTable.Lookup(StableHash.OfWord(word)).Should().Be(KeywordTable.Math, word);
        }

        foreach (string word in ReferenceFeaturizer.Words(Prompt2000()).Except(ReferenceFeaturizer.CodeKeywords))
        {
            KeywordTable.Lookup(StableHash.OfWord(word)).Should().Be(KeywordTable.None, word);
        }
    }

    [Fact]
    public void Featurize_SameMessages_SameVector_AcrossInstancesAndCallStyles()
    {
        List<ChatMessage> messages = Conversation("Explain how a router picks a model for each request.");
        float[] first = Features(new HashingPromptFeaturizer(), messages);
        float[] second = Features(new HashingPromptFeaturizer(), messages);
        var fromSequence = new float[64];

        new HashingPromptFeaturizer().Featurize(messages.Select(m => m), fromSequence);

        second.Should().Equal(first);
        fromSequence.Should().Equal(first);
    }

    [Fact]
    public void Featurize_GoldenVector_DoesNotDriftBetweenVersions()
    {
        // A change to tokenization, hashing or weights shifts these values; update them deliberately, knowing
        // that persisted scorers trained on the old features must be retrained.
        List<ChatMessage> messages = [new ChatMessage(ChatRole.User, "Hello routing world?")];
        float[] v = Features(_featurizer, messages);
        var reference = new float[64];
        ReferenceFeaturizer.Featurize(messages, reference);

        v[0].Should().Be(1f);
        TensorPrimitives.Norm<float>(v).Should().BeApproximately(MathF.Sqrt(2), 1e-5f);
        float checksum = 0, referenceChecksum = 0;
        for (int i = 0; i < v.Length; i++)
        {
            checksum += v[i] * (i + 1);
            referenceChecksum += reference[i] * (i + 1);
        }

        referenceChecksum.Should().BeApproximately(GoldenChecksum, 1e-3f);
        checksum.Should().BeApproximately(GoldenChecksum, 1e-3f);
    }

    [Fact]
    public void Featurize_CaseFolds_ButDistinguishesContent()
    {
        float[] upper = Features(_featurizer, Conversation("Hello World, HOW are you"));
        float[] lower = Features(_featurizer, Conversation("hello world, how are you"));
        float[] other = Features(_featurizer, Conversation("translate this legal contract into german"));

        upper.Should().Equal(lower);
        TensorPrimitives.CosineSimilarity<float>(upper.AsSpan(15), other.AsSpan(15)).Should().BeLessThan(0.5f);
    }

    [Fact]
    public void Featurize_BiasOne_NormSqrtTwo_AllFinite_EvenWithoutText()
    {
        float[] empty = Features(_featurizer, []);
        float[] some = Features(_featurizer, Conversation(new string('x', 5000)));

        foreach (float[] v in new[] { empty, some })
        {
            v[0].Should().Be(1f);
            TensorPrimitives.IsFiniteAll<float>(v).Should().BeTrue();
            TensorPrimitives.Norm<float>(v).Should().BeApproximately(MathF.Sqrt(2), 1e-5f);
        }
    }

    public static TheoryData<string, string, int> Markers() => new()
    {
        { "code fence", "Fix this:\n```\nx = 1\n```", FeatureLayout.Code },
        { "code keywords", "def main(): return helper(value)", FeatureLayout.Code },
        { "code braces", "if (a) { b(); c(); }", FeatureLayout.Code },
        { "arithmetic", "What is 12 + 30 and 7 * 6", FeatureLayout.Math },
        { "latex", "Simplify \\frac{a}{b} + \\sqrt{c}", FeatureLayout.Math },
        { "math words", "Solve the equation for x", FeatureLayout.Math },
        { "choices", "Pick one:\nA) red\nB) blue\n(c) green", FeatureLayout.MultipleChoice },
        { "cyrillic", "Привет, как у тебя дела сегодня", FeatureLayout.NonLatin },
        { "han", "请把这段话翻译成英文", FeatureLayout.NonLatin },
        { "question", "Is this right?", FeatureLayout.Question },
        { "full-width question", "这是对的吗？", FeatureLayout.Question },
        { "bullets", "Shopping:\n- milk\n- eggs", FeatureLayout.List },
        { "numbered", "Steps:\n1. open\n2. close\n10) done", FeatureLayout.List },
    };

    [Theory]
    [MemberData(nameof(Markers))]
    public void Featurize_Marker_IsSetWhenPresent_AndNotOnPlainProse(
        string name,
        string text,
        int slot)
    {
        float[] marked = Features(_featurizer, Conversation(text));
        float[] plain = Features(_featurizer, Conversation("tell me a short story about a friendly dog"));

        marked[slot].Should().BeGreaterThan(0, name);
        plain[slot].Should().Be(0, name);
    }

    [Fact]
    public void Featurize_ConversationShape_SetsMultiTurnAndSystemPromptMarkers()
    {
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "You are terse."),
            new(ChatRole.User, "hi"),
            new(ChatRole.Assistant, "hello"),
            new(ChatRole.User, "again"),
        ];

        float[] v = Features(_featurizer, messages);
        float[] single = Features(_featurizer, Conversation("hi"));

        v[FeatureLayout.MultiTurn].Should().BeGreaterThan(0);
        v[FeatureLayout.SystemPrompt].Should().BeGreaterThan(0);
        single[FeatureLayout.MultiTurn].Should().Be(0);
        single[FeatureLayout.SystemPrompt].Should().Be(0);
    }

    [Theory]
    [InlineData(10, 0)]
    [InlineData(100, 1)]
    [InlineData(2000, 3)]
    [InlineData(20000, 5)]
    public void Featurize_LengthBucket_IsOneHot(int length, int bucket)
    {
        float[] v = Features(_featurizer, Conversation(new string('a', length)));

        for (int b = 0; b < FeatureLayout.LengthBucketCount; b++)
        {
            (v[FeatureLayout.FirstLengthBucket + b] > 0).Should().Be(b == bucket);
        }
    }

    [Fact]
    public void Featurize_IgnoresNonTextContent()
    {
        var withImage = new ChatMessage(
            ChatRole.User,
            [new TextContent("describe"), new DataContent(new byte[] { 1, 2 }, "image/png")]);

        Features(_featurizer, [withImage]).Should().Equal(Features(_featurizer, Conversation("describe")));
    }

    [Fact]
    public void Featurize_TwoThousandCharacterPrompt_AllocatesNothingAfterWarmUp()
    {
        List<ChatMessage> messages = [new(ChatRole.System, "You are a careful assistant."), new(ChatRole.User, Prompt2000())];
        var destination = new float[64];
        _featurizer.Featurize(messages, destination);

        bool allSynchronous = true;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            _featurizer.Featurize(messages, destination);
            allSynchronous &= CompletedSynchronously(_featurizer.FeaturizeAsync(messages, destination));
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0);
        allSynchronous.Should().BeTrue();
    }

    [Fact]
    public async Task FeaturizeAsync_CompletesSynchronously_AndHonoursCancellation()
    {
        var destination = new float[64];
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        CompletedSynchronously(_featurizer.FeaturizeAsync(Conversation("hi"), destination)).Should().BeTrue();
        Func<Task> canceled = async () => await _featurizer.FeaturizeAsync(Conversation("hi"), destination, cancelled.Token);

        await canceled.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void InvalidArguments_Throw()
    {
        ((Action)(() => _ = new HashingPromptFeaturizer(15))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => _featurizer.Featurize(Conversation("x"), new float[63]))).Should().Throw<ArgumentException>()
            .WithParameterName("destination").WithMessage("*63 elements*writes 64*");
        ((Action)(() => _featurizer.Featurize([null!], new float[64]))).Should().Throw<ArgumentException>()
            .WithParameterName("messages");
        ((Action)(() => _featurizer.Featurize(null!, new float[64]))).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Featurize_OtherDimension_UsesAllHashedSlots()
    {
        var wide = new HashingPromptFeaturizer(256);
        var v = new float[256];

        wide.Featurize([new(ChatRole.User, Prompt2000())], v);

        // About 330 words give some 800 tokens; most of the 241 hashed slots receive at least one.
        v.AsSpan(FeatureLayout.FirstHashed).ToArray().Count(x => x != 0).Should().BeGreaterThan(180);
    }

    /// <summary>A varied 2,000-character prompt: prose, a list, a question and a code block.</summary>
    internal static string Prompt2000()
    {
        const string Text =
            "I maintain a small service that routes customer questions to one of several language models. "
            + "Each request carries a tenant id, a budget hint and the conversation so far. Lately the latency "
            + "of the cheapest model has doubled during business hours, while the expensive model stays fast "
            + "but burns through our monthly budget in about ten days. We would like a policy that learns which "
            + "model answers each kind of question well enough, and that keeps the average cost per request "
            + "below two cents without hurting quality on the hard cases.\n\nWhat we have tried so far:\n"
            + "- a static rule that sends long prompts to the large model\n- a keyword list for legal and "
            + "medical topics\n- random sampling with a fixed split of traffic\n\nNone of these adapt when a "
            + "provider changes its pricing or its speed. Here is the current selection code:\n```csharp\n"
            + "public string Pick(Request r) { if (r.Text.Length > 4000) return \"large\"; "
            + "return r.Tenant == \"legal\" ? \"large\" : \"small\"; }\n```\nCould you explain how a "
            + "contextual bandit would replace this, which features of the prompt matter most, how exploration "
            + "interacts with a hard budget, and how to evaluate a new policy offline from our logs before we "
            + "switch? Please also estimate the memory and CPU cost per decision for sixteen candidate models, "
            + "and tell me what happens when a model is removed or added while traffic is flowing. Finally, "
            + "list the failure modes you would monitor in production, for example a sudden drop in rewards, "
            + "a model that times out for one region only, or feedback that arrives hours after the answer. "
            + "Our team writes C#, deploys on Linux containers with two cores each, and prefers libraries that "
            + "do not allocate on the hot path. Answers with concrete numbers are most useful to us.";
        return Text.Length >= 2000 ? Text[..2000] : Text.PadRight(2000, '.');
    }

    private const ulong GoldenA = 6110722294915771293UL;
    private const ulong GoldenRouting = 3451982557746294356UL;
    private const float GoldenChecksum = 18.724842f;

    private static bool CompletedSynchronously(ValueTask task) => task.IsCompletedSuccessfully;

    private static List<ChatMessage> Conversation(string text) => [new(ChatRole.User, text)];

    private static float[] Features(HashingPromptFeaturizer featurizer, List<ChatMessage> messages)
    {
        var v = new float[featurizer.Dimension];
        featurizer.Featurize(messages, v);
        return v;
    }
}
