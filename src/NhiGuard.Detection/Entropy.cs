using System;
using System.Collections.Generic;

namespace NhiGuard.Detection;

public static class Entropy
{
    /// <summary>Shannon entropy in bits per character.</summary>
    public static double Shannon(string value)
    {
        if (value.Length == 0)
        {
            return 0;
        }

        var counts = new Dictionary<char, int>();
        foreach (char c in value)
        {
            counts.TryGetValue(c, out int n);
            counts[c] = n + 1;
        }

        double entropy = 0;
        foreach (int n in counts.Values)
        {
            double p = (double)n / value.Length;
            entropy -= p * Math.Log(p, 2);
        }

        return entropy;
    }
}
