using System.Diagnostics;
using NhiGuard.Detection;

namespace NhiGuard.Scanner.Git;

/// <summary>
/// Scans what <c>git commit</c> would record: the index against HEAD. Each staged blob is scanned
/// whole (so config structure and inline allows work), and only secrets that the HEAD version of
/// the changed files did not have are reported — what the commit would add, not what is unstaged.
/// </summary>
public sealed class StagedScanner(ScanConfig config, long maxFileSize = ScanOptions.DefaultMaxFileSize)
{
    private readonly TextScanner _scanner = new(config.CreateDetector());

    public ScanResult Scan(string repository, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        GitRepositoryInfo repo = GitRepositoryInfo.Open(repository);
        if (repo.IsBare)
        {
            throw new ConfigurationException($"{repository}: a bare repository has no index to scan");
        }

        var stats = new ScanStatistics();
        var warnings = new List<string>();
        var changes = StagedChanges(repo);
        var findings = new List<ReportedFinding>();
        if (changes.Count > 0)
        {
            using var reader = new BlobReader(repo.Root, maxFileSize);
            var scanner = new BlobScanner(_scanner, stats);
            var profiles = new PathProfiles(_scanner.Detector);
            var blobs = new ScannedBlobs();
            IReadOnlyList<Finding> FindingsOf(string id, string path)
            {
                cancellation.ThrowIfCancellationRequested();
                int profile = profiles.Of(path);
                if (profile == PathProfiles.Excluded)
                {
                    return [];
                }

                BlobSlot slot = blobs.Resolve(id, path, profile, out bool claimed);
                if (claimed)
                {
                    using Blob? blob = reader.Read(id);
                    blobs.Complete(slot, blob is null ? [] : scanner.Scan(path, blob, warnings.Add));
                }

                return slot.FindingsAt(path, cancellation);
            }

            var candidates = changes.Where(c => c.NewBlob is not null).SelectMany(c => FindingsOf(c.NewBlob!, c.Path)).ToList();
            if (candidates.Count > 0)
            {
                // As in history: a secret HEAD already had in a file this commit touches was moved, not added.
                var before = changes.SelectMany(c => c.OldBlobs.SelectMany(old => FindingsOf(old, c.Path)))
                    .Select(f => (f.RuleId, f.Secret))
                    .ToHashSet();
                findings.AddRange(candidates.Where(f => !before.Contains((f.RuleId, f.Secret))).Select(f => new ReportedFinding(f)));
            }
        }

        IReadOnlyList<ReportedFinding> all = ReportedFinding.InReportOrder(findings);
        return new ScanResult
        {
            Root = repo.Root,
            Findings = all,
            Rules = _scanner.Detector.Rules,
            Statistics = stats,
            Warnings = warnings,
            Duration = clock.Elapsed,
        };
    }

    // The index against HEAD (against nothing before the first commit), as blob ids per path.
    private static List<FileChange> StagedChanges(GitRepositoryInfo repo)
    {
        using GitProcess diff = GitProcess.Start(repo.Root, ["diff", "--cached", "--raw", "-z", "--no-renames", "--no-abbrev", "--no-ext-diff", "--no-textconv", "--ignore-submodules=all"]);
        var tokens = new NulTokenReader(diff.Output);
        var changes = new List<FileChange>();
        while (tokens.TryRead(out ReadOnlySpan<byte> token))
        {
            string entry = NulTokenReader.Decode(token).TrimStart('\n');
            if (!entry.StartsWith(':'))
            {
                continue;
            }

            if (tokens.ReadString() is { } path && CommitLog.ParseEntry(entry, path) is { } change)
            {
                changes.Add(change);
            }
        }

        diff.WaitForSuccess();
        return changes;
    }
}
