using MetaModel.Candidates;

namespace MetaModel.Resilience;

/// <summary>Checks the per-candidate settings: known ids, and fallback chains that never lead back to where they start.</summary>
internal static class FallbackValidator
{
    public static void Validate(IReadOnlyList<IModelCandidate?> candidates, FailoverOptions options, List<string> problems)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (IModelCandidate? candidate in candidates)
        {
            if (!string.IsNullOrWhiteSpace(candidate?.Id))
            {
                _ = ids.Add(candidate.Id);
            }
        }

        foreach (KeyValuePair<string, CandidateLimits> pair in options.Candidates)
        {
            if (!ids.Contains(pair.Key))
            {
                problems.Add($"Failover settings name candidate '{pair.Key}', which is not configured.");
            }

            foreach (string fallback in pair.Value.Fallbacks)
            {
                if (string.Equals(fallback, pair.Key, StringComparison.Ordinal))
                {
                    problems.Add($"Candidate '{pair.Key}' names itself as its fallback.");
                }
                else if (!ids.Contains(fallback))
                {
                    problems.Add($"Candidate '{pair.Key}' falls back to '{fallback}', which is not configured.");
                }
            }
        }

        FindCycles(options, problems);
    }

    private static void FindCycles(FailoverOptions options, List<string> problems)
    {
        var finished = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (string start in options.Candidates.Keys)
        {
            Visit(start);
        }

        void Visit(string id)
        {
            if (finished.Contains(id))
            {
                return;
            }

            int index = path.IndexOf(id);
            if (index >= 0)
            {
                List<string> cycle = path.GetRange(index, path.Count - index);
                string key = string.Join(",", cycle.Order(StringComparer.Ordinal));
                if (cycle.Count > 1 && reported.Add(key))
                {
                    problems.Add(
                        $"The fallback chain {string.Join(" -> ", cycle)} -> {id} leads back to where it starts; " +
                        "fallback chains must not be cyclic.");
                }

                return;
            }

            path.Add(id);
            if (options.Candidates.TryGetValue(id, out CandidateLimits? limits))
            {
                foreach (string next in limits.Fallbacks)
                {
                    Visit(next);
                }
            }

            path.RemoveAt(path.Count - 1);
            _ = finished.Add(id);
        }
    }
}
