using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MetaModel.Features;

/// <summary>A small open-addressing set of case-folded keywords that hint at code or math.</summary>
/// <remarks>
/// Looked up once per word with the word's hash (<see cref="StableHash.OfWord"/>), from which its unigram and
/// bigram tokens are made, so recognizing keywords costs one or two comparisons and no string is ever
/// materialized. The table is
/// mostly empty, so that the first probe of an ordinary word almost always finds an empty slot and the branch is
/// predictable.
/// </remarks>
internal static class KeywordTable
{
    public const byte None = 0;
    public const byte Code = 1;
    public const byte Math = 2;

    private const int Size = 1024;
    private static readonly ulong[] Hashes = new ulong[Size];
    private static readonly byte[] Kinds = new byte[Size];

    static KeywordTable()
    {
        string[] code =
        [
            "def", "return", "function", "class", "import", "include", "public", "private", "void", "const",
            "let", "var", "println", "printf", "lambda", "struct", "elif", "async", "await", "namespace",
            "console", "null", "nullptr", "typedef", "fn", "impl", "func", "int", "bool", "sql",
        ];
        string[] math =
        [
            "solve", "equation", "equations", "integral", "derivative", "theorem", "proof", "prove", "matrix",
            "probability", "polynomial", "calculate", "sqrt", "log", "sin", "cos", "frac",
        ];
        foreach (string word in code)
        {
            Add(word, Code);
        }

        foreach (string word in math)
        {
            Add(word, Math);
        }
    }

    /// <summary>Returns the kind of the word whose hash is <paramref name="hash"/>, or <see cref="None"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte Lookup(ulong hash)
    {
        // The first probe, which almost always finds an empty slot, reads the table without a bounds check: the
        // slot is the top ten bits of the hash.
        int slot = Slot(hash);
        return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Kinds), slot) == None ? None : Probe(hash, slot);
    }

    private static byte Probe(ulong hash, int slot)
    {
        while (Kinds[slot] != None)
        {
            if (Hashes[slot] == hash)
            {
                return Kinds[slot];
            }

            slot = (slot + 1) & (Size - 1);
        }

        return None;
    }

    private static void Add(string word, byte kind)
    {
        ulong hash = StableHash.OfWord(word);
        int slot = Slot(hash);
        while (Kinds[slot] != None)
        {
            slot = (slot + 1) & (Size - 1);
        }

        Hashes[slot] = hash;
        Kinds[slot] = kind;
    }

    private static int Slot(ulong hash) => (int)(hash >> 54);
}
