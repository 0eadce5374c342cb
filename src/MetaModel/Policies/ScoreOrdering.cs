using MetaModel.Routing;

namespace MetaModel.Policies;

/// <summary>Orders ranked candidates by descending score, keeping registration order among equal scores.</summary>
internal static class ScoreOrdering
{
    /// <summary>Sorts <paramref name="ranked"/> in place by descending score with a stable insertion sort.</summary>
    /// <remarks>Candidate lists are short (tens at most), where insertion sort is the fastest stable sort.</remarks>
    public static void SortDescending(Span<CandidateScore> ranked)
    {
        for (int i = 1; i < ranked.Length; i++)
        {
            CandidateScore item = ranked[i];
            int j = i - 1;
            while (j >= 0 && ranked[j].Score < item.Score)
            {
                ranked[j + 1] = ranked[j];
                j--;
            }

            ranked[j + 1] = item;
        }
    }
}
