using NhiGuard.Scanner.Config;

namespace NhiGuard.Scanner.Tests.Config;

/// <summary>Checks on reader output: the entry exists once, holds the value, and its span covers the raw text.</summary>
internal static class ConfigAssert
{
    public static ConfigEntry Entry(string text, IReadOnlyList<ConfigEntry> entries, string key, string value, string? raw = null, bool decoded = false)
    {
        var matches = entries.Where(e => e.Key == key && e.Decoded == decoded).ToList();
        Assert.True(matches.Count == 1, $"expected one entry '{key}' (decoded={decoded}); got: {Describe(text, entries)}");
        ConfigEntry entry = matches[0];
        Assert.Equal(value, entry.Value);
        Assert.Equal(raw ?? value, text.Substring(entry.Start, entry.Length));
        return entry;
    }

    public static void Keys(IReadOnlyList<ConfigEntry> entries, params string[] keys) =>
        Assert.Equal(keys, entries.Select(e => e.Key));

    public static void SpansInside(string text, IReadOnlyList<ConfigEntry> entries)
    {
        foreach (ConfigEntry entry in entries)
        {
            Assert.InRange(entry.Start, 0, text.Length);
            Assert.InRange(entry.Length, 0, text.Length - entry.Start);
        }
    }

    private static string Describe(string text, IReadOnlyList<ConfigEntry> entries) =>
        string.Join("; ", entries.Select(e => $"{e.Key}={e.Value} [{SafeSlice(text, e)}] decoded={e.Decoded}"));

    private static string SafeSlice(string text, ConfigEntry e) =>
        e.Start >= 0 && e.Length >= 0 && e.Start + e.Length <= text.Length ? text.Substring(e.Start, e.Length) : "<out of range>";
}
