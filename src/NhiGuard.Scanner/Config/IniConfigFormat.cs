namespace NhiGuard.Scanner.Config;

/// <summary>
/// INI-style files (*.ini, *.cfg): <c>key=value</c> or <c>key: value</c>, <c>; #</c> comments, and
/// <c>[section]</c> headers making keys <c>section.key</c>. Values are trimmed and one pair of quotes is removed;
/// inline comments are kept, as passwords may hold ';' and '#'.
/// </summary>
internal sealed class IniConfigFormat : IConfigFormat
{
    public static readonly IniConfigFormat Instance = new();

    public bool Handles(string relativePath)
    {
        string name = ConfigText.FileName(relativePath);
        return name.EndsWith(".ini", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".cfg", StringComparison.OrdinalIgnoreCase);
    }

    public IReadOnlyList<ConfigEntry> Read(string text) => KeyValueLines.Read(text, sections: true, separators: "=:");
}

/// <summary>Line-oriented <c>key=value</c> reading shared by the INI and .npmrc readers.</summary>
internal static class KeyValueLines
{
    public static IReadOnlyList<ConfigEntry> Read(string text, bool sections, string separators)
    {
        var entries = new EntryList();
        if (text.Length > ConfigText.MaxLength)
        {
            return entries.Entries;
        }

        string? section = null;
        for (int i = 0; i < text.Length && !entries.Full; i = ConfigText.NextLine(text, ConfigText.LineEnd(text, i)))
        {
            (int start, int end) = ConfigText.TrimSpan(text, i, ConfigText.LineEnd(text, i));
            if (start < end && text[start] == '\uFEFF')
            {
                start++;
            }

            if (start >= end || text[start] is ';' or '#')
            {
                continue;
            }

            if (text[start] == '[' && text[end - 1] == ']')
            {
                (int s, int e) = ConfigText.TrimSpan(text, start + 1, end - 1);
                section = sections ? text[s..e] : null;
                continue;
            }

            int separator = text.AsSpan(start, end - start).IndexOfAny(separators);
            if (separator <= 0)
            {
                continue;
            }

            separator += start;
            string key = text[start..separator].TrimEnd();
            if (section is not null && section.Length + key.Length >= EntryList.MaxKeyLength)
            {
                continue; // checked before joining: a huge section name repeated per key would be quadratic
            }

            (int vs, int ve) = ConfigText.TrimSpan(text, separator + 1, end);
            (vs, ve) = ConfigText.Unquote(text, vs, ve);
            entries.Add(new ConfigEntry(section is null ? key : $"{section}.{key}", text[vs..ve], vs, ve - vs));
        }

        return entries.Entries;
    }
}
