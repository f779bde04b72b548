using System.Globalization;
using System.Text;

namespace NhiGuard.Scanner.Git;

/// <summary>One path a commit changed: the blob it has now (null when deleted) and the blobs its parents had there.</summary>
/// <param name="Path">'/'-separated, relative to the repository root.</param>
/// <param name="NewBlob">Hex id of the blob after the commit; null for a deletion, a submodule or a symlink.</param>
/// <param name="OldBlobs">Hex ids of the blobs the parents had at the path (none for an addition).</param>
internal sealed record FileChange(string Path, string? NewBlob, string[] OldBlobs);

/// <summary>A commit as <c>git log --raw</c> tells it: who, when, and which blobs it brought at which paths.</summary>
internal sealed record CommitRecord(string Id, string[] Parents, string Author, string Email, DateTimeOffset Date, IReadOnlyList<FileChange> Changes);

/// <summary>
/// Streams commits from <c>git log --reverse --raw -z -c --no-renames</c> (see <see cref="Arguments"/>):
/// oldest first, and no diffs are computed, only which blob each commit brought at each path.
/// Merges list only the paths that differ from every parent (what the merge itself introduced).
/// </summary>
internal sealed class CommitLog(Stream output)
{
    private const byte CommitMarker = 0x01;

    private readonly NulTokenReader _tokens = new(output);
    private byte[]? _lookahead;

    /// <summary>The git arguments whose output this parses; the revisions follow.</summary>
    public static IReadOnlyList<string> Arguments { get; } =
    [
        "-c", "log.showRoot=true", "-c", "log.showSignature=false",
        "log", "--reverse", "--raw", "-z", "-c", "--no-renames", "--no-abbrev", "--no-color", "--no-ext-diff", "--no-textconv",
        "--format=%x01%H%x00%P%x00%an%x00%ae%x00%aI",
    ];

    /// <summary>The next commit, or null at the end.</summary>
    public CommitRecord? Next()
    {
        byte[]? header = _lookahead;
        _lookahead = null;
        while (header is null)
        {
            if (!_tokens.TryRead(out ReadOnlySpan<byte> token))
            {
                return null;
            }

            token = TrimNewlines(token);
            if (token.Length > 0 && token[0] == CommitMarker)
            {
                header = token.ToArray();
            }
        }

        string id = Encoding.ASCII.GetString(header, 1, header.Length - 1);
        string parents = _tokens.ReadString() ?? "";
        string author = _tokens.ReadString() ?? "";
        string email = _tokens.ReadString() ?? "";
        string dateText = (_tokens.ReadString() ?? "").Trim('\n');
        DateTimeOffset.TryParse(dateText, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset date);

        var changes = new List<FileChange>();
        while (_tokens.TryRead(out ReadOnlySpan<byte> token))
        {
            token = TrimNewlines(token);
            if (token.Length == 0)
            {
                continue;
            }

            if (token[0] == CommitMarker)
            {
                _lookahead = token.ToArray();
                break;
            }

            if (token[0] != (byte)':')
            {
                continue;
            }

            string entry = Encoding.ASCII.GetString(token);
            string? path = _tokens.ReadString();
            if (path is not null && ParseEntry(entry, path) is { } change)
            {
                changes.Add(change);
            }
        }

        return new CommitRecord(id, parents.Length == 0 ? [] : parents.Split(' '), author, email, date, changes);
    }

    // ":100644 100644 <old> <new> M" for one parent; "::<m1> <m2> <m> <id1> <id2> <id> MM" for a merge.
    internal static FileChange? ParseEntry(string entry, string path)
    {
        int parents = 0;
        while (parents < entry.Length && entry[parents] == ':')
        {
            parents++;
        }

        string[] fields = entry[parents..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2 * (parents + 1))
        {
            return null;
        }

        var old = new List<string>(parents);
        for (int p = 0; p < parents; p++)
        {
            if (IsFile(fields[p]) && !IsNull(fields[parents + 1 + p]))
            {
                old.Add(fields[parents + 1 + p]);
            }
        }

        string newMode = fields[parents];
        string newId = fields[2 * parents + 1];
        string? newBlob = IsFile(newMode) && !IsNull(newId) ? newId : null;
        if (newBlob is null && old.Count == 0)
        {
            return null;
        }

        return new FileChange(path, newBlob, old.ToArray());
    }

    // Regular and executable files hold text; symlinks hold a target path and submodules a commit id.
    // (Old repositories also carry modes such as 100664.)
    private static bool IsFile(string mode) => mode.Length == 6 && mode.StartsWith("100", StringComparison.Ordinal);

    private static bool IsNull(string id) => id.AsSpan().IndexOfAnyExcept('0') < 0;

    private static ReadOnlySpan<byte> TrimNewlines(ReadOnlySpan<byte> token)
    {
        while (token.Length > 0 && token[0] == (byte)'\n')
        {
            token = token[1..];
        }

        return token;
    }
}
