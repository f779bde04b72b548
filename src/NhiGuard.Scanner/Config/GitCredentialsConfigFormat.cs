namespace NhiGuard.Scanner.Config;

/// <summary>
/// git's credential store (<c>.git-credentials</c>, <c>git/credentials</c>): lines <c>https://user:password@host/path</c>
/// give Key = host (with any port) and Value = the URL-decoded password; a URL with only a user
/// (<c>https://token@host</c>) gives the user, since tokens are often stored there.
/// </summary>
internal sealed class GitCredentialsConfigFormat : IConfigFormat
{
    public static readonly GitCredentialsConfigFormat Instance = new();

    public bool Handles(string relativePath)
    {
        string path = relativePath.Replace('\\', '/');
        return ConfigText.FileName(path).Equals(".git-credentials", StringComparison.OrdinalIgnoreCase)
            || path.Equals("git/credentials", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith("/git/credentials", StringComparison.OrdinalIgnoreCase);
    }

    public IReadOnlyList<ConfigEntry> Read(string text)
    {
        var entries = new EntryList();
        if (text.Length > ConfigText.MaxLength)
        {
            return entries.Entries;
        }

        for (int i = 0; i < text.Length && !entries.Full; i = ConfigText.NextLine(text, ConfigText.LineEnd(text, i)))
        {
            int lineEnd = ConfigText.LineEnd(text, i);
            int scheme = text.IndexOf("://", i, lineEnd - i, StringComparison.Ordinal);
            if (scheme < 0)
            {
                continue;
            }

            int authority = scheme + 3;
            int authorityEnd = text.AsSpan(authority, lineEnd - authority).IndexOfAny("/?# \t");
            authorityEnd = authorityEnd < 0 ? lineEnd : authority + authorityEnd;
            int at = text.LastIndexOf('@', authorityEnd - 1, authorityEnd - authority);
            if (at < 0 || at + 1 >= authorityEnd)
            {
                continue;
            }

            int colon = text.IndexOf(':', authority, at - authority);
            int start = colon < 0 ? authority : colon + 1;
            if (start >= at)
            {
                continue;
            }

            string raw = text[start..at];
            entries.Add(new ConfigEntry(text[(at + 1)..authorityEnd], Uri.UnescapeDataString(raw), start, raw.Length));
        }

        return entries.Entries;
    }
}
