using MetaModel.Candidates;
using Microsoft.Extensions.AI;

namespace MetaModel.Routing;

/// <summary>Decides which candidates may serve a request, and records why the others may not.</summary>
internal static class EligibilityEvaluator
{
    public static void Evaluate(
        IReadOnlyList<IModelCandidate> candidates,
        in RequestRequirements requirements,
        List<IModelCandidate> eligible,
        List<CandidateExclusion> exclusions)
    {
        foreach (IModelCandidate candidate in candidates)
        {
            CandidateExclusion? exclusion = Check(candidate, requirements);
            if (exclusion is null)
            {
                eligible.Add(candidate);
            }
            else
            {
                exclusions.Add(exclusion);
            }
        }
    }

    public static ModelCapabilities RequiredCapabilities(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options,
        bool streaming)
    {
        ModelCapabilities required = streaming ? ModelCapabilities.Streaming : ModelCapabilities.None;
        if (options?.Tools is { Count: > 0 })
        {
            required |= ModelCapabilities.Tools;
        }

        if (options?.ResponseFormat is ChatResponseFormatJson)
        {
            required |= ModelCapabilities.JsonOutput;
        }

        foreach (ChatMessage message in messages)
        {
            foreach (AIContent content in message.Contents)
            {
                if (content is DataContent data && data.HasTopLevelMediaType("image") ||
                    content is UriContent uri && uri.HasTopLevelMediaType("image"))
                {
                    return required | ModelCapabilities.Vision;
                }
            }
        }

        return required;
    }

    private static CandidateExclusion? Check(IModelCandidate candidate, in RequestRequirements requirements)
    {
        if (requirements.PinnedModel is { } pinned &&
            !string.Equals(candidate.Id, pinned, StringComparison.Ordinal))
        {
            return new CandidateExclusion(candidate.Id, ExclusionKind.NotRequested, $"the request pins model '{pinned}'");
        }

        ModelCapabilities missing = requirements.Capabilities & ~candidate.Capabilities;
        if (missing != ModelCapabilities.None)
        {
            return new CandidateExclusion(
                candidate.Id,
                ExclusionKind.MissingCapability,
                $"the request needs {missing}, which the candidate does not support");
        }

        long needed = (long)requirements.EstimatedInputTokens + requirements.MaxOutputTokens;
        if (needed > candidate.ContextWindow)
        {
            return new CandidateExclusion(
                candidate.Id,
                ExclusionKind.ContextWindow,
                $"the estimated prompt of {requirements.EstimatedInputTokens} tokens plus {requirements.MaxOutputTokens} " +
                $"output tokens exceeds its context window of {candidate.ContextWindow}");
        }

        foreach (IReadOnlyList<TagConstraint>? set in requirements.ConstraintSets)
        {
            if (set is null)
            {
                continue;
            }

            foreach (TagConstraint constraint in set)
            {
                if (!constraint.IsSatisfiedBy(candidate))
                {
                    string actual = candidate.Tags.TryGetValue(constraint.Key, out string? value) ? value : "(none)";
                    return new CandidateExclusion(
                        candidate.Id,
                        ExclusionKind.Constraint,
                        $"constraint {constraint.Describe()} excludes it ({constraint.Key} = {actual})");
                }
            }
        }

        return null;
    }
}

/// <summary>What a request needs from a candidate.</summary>
internal readonly record struct RequestRequirements(
    ModelCapabilities Capabilities,
    int EstimatedInputTokens,
    int MaxOutputTokens,
    string? PinnedModel,
    IReadOnlyList<TagConstraint>?[] ConstraintSets);
