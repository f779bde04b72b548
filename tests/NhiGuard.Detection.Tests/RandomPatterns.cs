namespace NhiGuard.Detection.Tests;

/// <summary>
/// Random regex patterns for property tests of the pattern readings: sequences of the given atoms
/// under the given quantifiers, nested in non-capturing alternations.
/// </summary>
internal sealed class RandomPatterns(Random random, string[] atoms, string[] quantifiers, int maxItems = 3)
{
    /// <param name="depth">How deep alternations may nest.</param>
    /// <param name="extended">Scatter (?x) white space and comments between the items.</param>
    public string Next(int depth, bool extended = false)
    {
        var sequence = new System.Text.StringBuilder();
        for (int n = random.Next(1, maxItems + 1); n > 0; n--)
        {
            string atom = depth > 0 && random.Next(4) == 0
                ? "(?:" + string.Join("|", Enumerable.Range(0, random.Next(1, 3)).Select(_ => Next(depth - 1, extended))) + ")"
                : atoms[random.Next(atoms.Length)];
            sequence.Append(atom).Append(atom is "^" or "$" or @"\b" ? "" : quantifiers[random.Next(quantifiers.Length)]);
            if (extended && random.Next(3) == 0)
            {
                sequence.Append(random.Next(2) == 0 ? "  " : " # note\n ");
            }
        }

        return sequence.ToString();
    }
}
