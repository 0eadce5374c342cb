using System.Numerics.Tensors;

namespace MetaModel.Scoring;

/// <content>Argument and option validation, with messages that name the problem.</content>
public sealed partial class ContextualBanditScorer
{
    /// <summary>The largest magnitude of a feature value or a reward that the scorer accepts.</summary>
    /// <remarks>
    /// The state is single precision: a feature of 10²⁰ squares to more than the largest float, and one such update
    /// would turn an arm's inverse into NaN for good. Within ±10⁶ (features are normally scaled to about ±1), products
    /// and sums stay far from overflow for any valid <see cref="ContextualBanditOptions.RidgePrior"/>.
    /// </remarks>
    public const double MaximumMagnitude = 1e6;

    /// <summary>The smallest ridge prior λ₀ the scorer accepts; its inverse 1/λ₀ bounds every arm's variance.</summary>
    public const double MinimumRidgePrior = 1e-6;

    /// <summary>The largest ridge prior λ₀ the scorer accepts.</summary>
    public const double MaximumRidgePrior = 1e6;

    /// <summary>The smallest forgetting factor γ the scorer accepts: an effective window of two updates.</summary>
    /// <remarks>Each update scales an arm's inverse by up to 1/γ until the prior is re-anchored; a γ far below this
    /// (1e-30, say) overflows single precision in between, and forgets everything between two updates anyway.</remarks>
    public const double MinimumForgettingFactor = 0.5;

    private void ValidateFeatures(ReadOnlySpan<float> features, string parameterName)
    {
        if (features.Length != Dimension)
        {
            ThrowWrongLength(features.Length, Dimension, parameterName);
        }

        if (!IsWithinRange(features))
        {
            if (!TensorPrimitives.IsFiniteAll(features))
            {
                ThrowNonFinite(features, parameterName);
            }

            ThrowTooLarge(features, parameterName);
        }
    }

    /// <summary>Whether every value is finite and within ±<see cref="MaximumMagnitude"/>, in one pass: the largest
    /// magnitude is NaN when a value is NaN, and infinite when one is.</summary>
    private static bool IsWithinRange(ReadOnlySpan<float> features) =>
        MathF.Abs(TensorPrimitives.MaxMagnitude(features)) <= MaximumMagnitude;

    private void ValidateArms(ReadOnlySpan<int> arms)
    {
        foreach (int arm in arms)
        {
            if ((uint)arm >= (uint)_arms.Length)
            {
                ThrowArmOutOfRange(arm, _arms.Length, nameof(arms));
            }
        }
    }

    private static void ValidateDestination(
        Span<float> destination,
        int required,
        string parameterName)
    {
        if (destination.Length < required)
        {
            throw new ArgumentException(
                $"The destination has {destination.Length} elements but {required} are required.",
                parameterName);
        }
    }

    private static void ValidateReward(double reward, string parameterName)
    {
        if (!double.IsFinite(reward))
        {
            throw new ArgumentException($"The reward must be a finite number but was {reward}.", parameterName);
        }

        if (Math.Abs(reward) > MaximumMagnitude)
        {
            throw new ArgumentException(
                $"The reward must lie within ±{MaximumMagnitude:0.#####E+0} but was {reward}.",
                parameterName);
        }
    }

    private static void ThrowWrongLength(
        int actual,
        int expected,
        string parameterName) =>
        throw new ArgumentException(
            $"The feature vector has {actual} elements; this scorer expects {expected}.",
            parameterName);

    private static void ThrowNonFinite(ReadOnlySpan<float> features, string parameterName)
    {
        int index = 0;
        while (index < features.Length && float.IsFinite(features[index]))
        {
            index++;
        }

        throw new ArgumentException(
            $"The feature vector must be finite, but element {index} is {features[index]}.",
            parameterName);
    }

    private static void ThrowTooLarge(ReadOnlySpan<float> features, string parameterName)
    {
        int index = 0;
        while (index < features.Length && Math.Abs(features[index]) <= MaximumMagnitude)
        {
            index++;
        }

        throw new ArgumentException(
            $"The feature vector's values must lie within ±{MaximumMagnitude:0.#####E+0} (scale the features), but " +
            $"element {index} is {features[index]}.",
            parameterName);
    }

    private static void ThrowArmOutOfRange(
        int arm,
        int count,
        string parameterName) =>
        throw new ArgumentOutOfRangeException(
            parameterName,
            arm,
            $"Arm index {arm} is out of range; this scorer has {count} arms (indexes 0 to {count - 1}).");

    private static void ValidateOptions(ContextualBanditOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Dimension, "options.Dimension");
        if (!double.IsFinite(options.Exploration) || options.Exploration < 0)
        {
            throw new ArgumentOutOfRangeException(
                "options.Exploration",
                options.Exploration,
                "Exploration must be finite and non-negative.");
        }

        if (!(options.RidgePrior is >= MinimumRidgePrior and <= MaximumRidgePrior))
        {
            throw new ArgumentOutOfRangeException(
                "options.RidgePrior",
                options.RidgePrior,
                $"The ridge prior must be from {MinimumRidgePrior:0.#####E+0} to {MaximumRidgePrior:0.#####E+0}.");
        }

        if (!(options.ForgettingFactor is >= MinimumForgettingFactor and <= 1))
        {
            throw new ArgumentOutOfRangeException(
                "options.ForgettingFactor",
                options.ForgettingFactor,
                $"The forgetting factor must be from {MinimumForgettingFactor} to 1.");
        }

        if (options.ReducedDimension < 0 || options.ReducedDimension >= options.Dimension)
        {
            if (options.ReducedDimension != 0)
            {
                throw new ArgumentOutOfRangeException(
                    "options.ReducedDimension",
                    options.ReducedDimension,
                    $"The reduced dimension must be 0 (off) or between 1 and {options.Dimension - 1}.");
            }
        }

        if (!Enum.IsDefined(options.Strategy))
        {
            throw new ArgumentOutOfRangeException("options.Strategy", options.Strategy, "Unknown exploration strategy.");
        }

        if (options.FeatureSchema is { Length: > MaximumFeatureSchemaLength } schema)
        {
            throw new ArgumentOutOfRangeException(
                "options.FeatureSchema",
                schema.Length,
                $"The feature schema has {schema.Length} characters; at most {MaximumFeatureSchemaLength} are allowed.");
        }
    }
}
