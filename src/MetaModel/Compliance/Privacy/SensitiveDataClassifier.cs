using System.Text.RegularExpressions;
using Microsoft.Extensions.Compliance.Classification;

namespace MetaModel.Compliance.Privacy;

/// <summary>Finds credentials, e-mail addresses, telephone numbers and payment card numbers in free text.</summary>
/// <remarks>
/// The patterns favour recall for credentials: a long token after <c>Bearer</c>, after a key-like name, or with a
/// known provider prefix counts as a secret. Telephone numbers need seven or more digits with separators or a
/// leading <c>+</c>; card numbers need 13 to 19 digits that pass the Luhn check. No pattern is perfect: the stated
/// limits are in docs/compliance.md.
/// </remarks>
internal static partial class SensitiveDataClassifier
{
    public static List<(int Start, int Length, DataClassification Classification)> Find(string text)
    {
        var found = new List<(int, int, DataClassification)>();
        Add(found, SecretPattern(), text, SensitiveData.Secret, check: null);
        Add(found, EmailPattern(), text, SensitiveData.EmailAddress, check: null);
        Add(found, CardPattern(), text, SensitiveData.PaymentCard, PassesLuhn);
        Add(found, PhonePattern(), text, SensitiveData.PhoneNumber, HasEnoughDigits);

        // Earlier kinds win where matches overlap: a key that looks like a number stays a key.
        found.Sort(static (a, b) => a.Item1.CompareTo(b.Item1));
        var kept = new List<(int, int, DataClassification)>(found.Count);
        int end = 0;
        foreach ((int start, int length, DataClassification classification) in found)
        {
            if (start >= end)
            {
                kept.Add((start, length, classification));
                end = start + length;
            }
        }

        return kept;
    }

    private static void Add(
        List<(int, int, DataClassification)> found,
        Regex pattern,
        string text,
        DataClassification classification,
        Func<string, bool>? check)
    {
        foreach (Match match in pattern.Matches(text))
        {
            Group group = match.Groups["value"].Success ? match.Groups["value"] : match;
            if (check is not null && !check(group.Value))
            {
                continue;
            }

            bool overlaps = found.Exists(f => group.Index < f.Item1 + f.Item2 && f.Item1 < group.Index + group.Length);
            if (!overlaps)
            {
                found.Add((group.Index, group.Length, classification));
            }
        }
    }

    private static bool PassesLuhn(string candidate)
    {
        int sum = 0;
        int digits = 0;
        for (int i = candidate.Length - 1; i >= 0; i--)
        {
            char c = candidate[i];
            if (c is < '0' or > '9')
            {
                continue;
            }

            int d = c - '0';
            if (digits % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            digits++;
        }

        return digits is >= 13 and <= 19 && sum % 10 == 0;
    }

    private static bool HasEnoughDigits(string candidate) => candidate.Count(char.IsAsciiDigit) is >= 7 and <= 15;

    // Provider-prefixed keys (sk-, sk-ant-, AKIA, AIza, ghp_, xox?-, glpat-), bearer tokens, and values after a
    // key-like name such as api_key=, apikey:, token=, password=, secret=.
    [GeneratedRegex(
        @"(?:\b(?:sk|pk|rk)-(?:[A-Za-z0-9]+-)*[A-Za-z0-9_\-]{16,}|\bAKIA[0-9A-Z]{16}\b|\bAIza[0-9A-Za-z_\-]{30,}|" +
        @"\bgh[pousr]_[A-Za-z0-9]{30,}|\bxox[abposr]-[A-Za-z0-9\-]{10,}|\bglpat-[A-Za-z0-9_\-]{20,}|" +
        @"(?i:bearer)\s+(?<value>[A-Za-z0-9\-._~+/]{16,}=*)|" +
        @"(?i:api[_\-]?key|access[_\-]?token|auth[_\-]?token|secret|password|passwd|pwd|token)" +
        @"[""']?\s*[:=]\s*[""']?(?<value>[^\s""',;&]{6,}))",
        RegexOptions.CultureInvariant)]
    private static partial Regex SecretPattern();

    [GeneratedRegex(
        @"\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}\b",
        RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"\b\d(?:[ \-]?\d){12,18}\b", RegexOptions.CultureInvariant)]
    private static partial Regex CardPattern();

    [GeneratedRegex(
        @"(?<![\w+])(?:\+\d{1,3}[ .\-]?)?(?:\(\d{1,4}\)[ .\-]?)?\d{2,4}(?:[ .\-]\d{2,4}){1,4}(?!\w)",
        RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();
}
