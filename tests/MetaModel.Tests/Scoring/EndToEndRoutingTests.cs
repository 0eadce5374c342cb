using MetaModel.Features;
using MetaModel.Scoring;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Scoring;

/// <summary>The featurizer, scorer and reward helper together, as a routing policy would use them.</summary>
public class EndToEndRoutingTests
{
    private static readonly string[] CodePrompts =
    [
        "Fix this function: ```\nint Add(int a, int b) { return a - b; }\n```",
        "Why does my Python def main(): return helper(x) raise a NameError?",
        "Write a SQL query that returns the ten largest orders per customer.",
        "Refactor this loop: for (var i = 0; i < n; i++) { total += items[i]; }",
    ];

    private static readonly string[] ChatPrompts =
    [
        "Tell me a short story about a friendly dog who learns to swim.",
        "What should I cook tonight with potatoes, leeks and cheese",
        "Suggest three names for a cozy neighbourhood cafe.",
        "Write a warm thank-you note to my grandmother for the scarf.",
    ];

    [Fact]
    public void HashedFeatures_CostAwareRewards_ScorerLearnsToRouteCodeToTheCodeModel_WithinBudget()
    {
        // "coder" answers code well (0.9) and chat adequately (0.6) at 0.01 per call; "chat" answers chat well
        // (0.85) and code poorly (0.3) at 0.002. The budget of 0.006 per request affords the coder for code only.
        var featurizer = new HashingPromptFeaturizer();
        var scorer = new ContextualBanditScorer(
            ["coder", "chat"],
            new() { Dimension = featurizer.Dimension, Exploration = 0.3, Seed = 1 });
        var reward = new CostAwareReward(new() { TargetCostPerRequest = 0.006, PacingStepSize = 0.005 });
        var random = new Random(17);
        var features = new float[featurizer.Dimension];
        var scores = new float[2];
        double spent = 0;
        const int Rounds = 4000;

        for (int t = 0; t < Rounds; t++)
        {
            bool code = random.Next(2) == 0;
            string[] pool = code ? CodePrompts : ChatPrompts;
            featurizer.Featurize([new ChatMessage(ChatRole.User, pool[random.Next(pool.Length)])], features);
            scorer.Score(features, scores);
            int arm = scores[0] >= scores[1] ? 0 : 1;
            double cost = arm == 0 ? 0.01 : 0.002;
            double quality = Quality(arm, code) + (0.1 * (random.NextDouble() - 0.5));
            scorer.Update(arm, features, reward.Compute(quality, cost, latencySeconds: 0));
            reward.ObserveCost(cost);
            spent += cost;
        }

        var means = new float[2];
        var widths = new float[2];
        int correct = 0;
        foreach ((string[] pool, int best) in new[] { (CodePrompts, 0), (ChatPrompts, 1) })
        {
            foreach (string prompt in pool)
            {
                featurizer.Featurize([new ChatMessage(ChatRole.User, prompt)], features);
                scorer.Estimate(features, [0, 1], means, widths);
                correct += (means[0] >= means[1] ? 0 : 1) == best ? 1 : 0;
            }
        }

        correct.Should().Be(CodePrompts.Length + ChatPrompts.Length);
        (spent / Rounds).Should().BeApproximately(0.006, 0.0015);

        static double Quality(int arm, bool code) => (arm, code) switch
        {
            (0, true) => 0.9,
            (0, false) => 0.6,
            (1, true) => 0.3,
            _ => 0.85,
        };
    }
}
