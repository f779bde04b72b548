using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using NhiGuard.Detection;

namespace NhiGuard.Scanner.Git;

public sealed record HistoryOptions
{
    /// <summary>Only commits not reachable from this revision; or a whole range, <c>A..B</c>.</summary>
    public string? Since { get; init; }

    /// <summary>Only commits reachable from this branch (or any revision) instead of from every ref.</summary>
    public string? Branch { get; init; }

    public int? MaxCommits { get; init; }
    public long MaxFileSize { get; init; } = ScanOptions.DefaultMaxFileSize;
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;
    public Baseline? Baseline { get; init; }

    /// <summary>Told how far the scan is, a few times a second.</summary>
    public Action<HistoryProgress>? Progress { get; init; }
}

/// <summary>How far a history scan is; <see cref="TotalCommits"/> arrives when git has counted them.</summary>
public sealed record HistoryProgress(long Commits, long? TotalCommits, long Blobs, long Bytes, int Findings, TimeSpan Elapsed);

/// <summary>
/// Scans a repository's history. A finding is reported once, at the commit that introduced its
/// secret at that path: in a line that none of the commit's parents had there, and not merely
/// moved from another file the commit touched.
/// </summary>
/// <remarks>
/// Pipeline: <c>git log --reverse --raw</c> (which blob each commit brought where; git computes
/// no diffs) feeds <c>git cat-file --batch</c>. A file's first version is scanned whole, as
/// <c>scan</c> reads a file; a later version only for the lines none of its parents had, found by
/// counting line hashes (the parents' hashes stay in a bounded cache, so each blob is read once).
/// The same change (blob and parents) is scanned once however many commits bring it. Work runs
/// on every core while commits are attributed in order; memory is bounded by a few hundred
/// commits and a fixed cache, not by the history's length.
/// </remarks>
public sealed class HistoryScanner(ScanConfig config, HistoryOptions options)
{
    private const int CommitsAhead = 256;

    // Line hashes of recent versions, kept for their child commits: 32 MB at most.
    private const long VersionCacheBytes = 32L << 20;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);

    private readonly TextScanner _scanner = new(config.CreateDetector());
    private readonly HistoryOptions _options = options;

    public ScanResult Scan(string repository, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        GitRepositoryInfo repo = GitRepositoryInfo.Open(repository);
        IReadOnlyList<string> revisions = Revisions(repo, out string? tip);
        var run = new Run(this, repo, cancellation, clock);
        var notices = new List<string>();
        if (repo.IsShallow)
        {
            notices.Add($"shallow clone: the history behind {Plural(repo.ShallowBoundary.Count, "boundary commit")} "
                + $"({string.Join(", ", repo.ShallowBoundary.Take(3).Select(BlobScanner.Short))}{(repo.ShallowBoundary.Count > 3 ? ", ..." : "")}) "
                + "is not in this clone and was not scanned; what it added is reported at the boundary. 'git fetch --unshallow' gets the rest");
        }

        List<ReportedFinding> found = run.Execute(revisions, tip);

        IReadOnlyList<ReportedFinding> all = found
            .OrderBy(f => f.Finding.Path, StringComparer.Ordinal)
            .ThenBy(f => f.Finding.Line)
            .ThenBy(f => f.Finding.Column)
            .ThenBy(f => f.Finding.RuleId, StringComparer.Ordinal)
            .ToList();

        return new ScanResult
        {
            Root = repo.Root,
            Findings = all,
            Rules = _scanner.Detector.Rules,
            Statistics = run.Statistics,
            Warnings = run.Warnings.Distinct().OrderBy(w => w, StringComparer.Ordinal).ToList(),
            Notices = notices,
            CommitsScanned = run.Commits,
            Duration = clock.Elapsed,
        }.WithBaseline(_options.Baseline);
    }

    // The revisions to hand to git log, and the commit whose tree "still in HEAD" means.
    private IReadOnlyList<string> Revisions(GitRepositoryInfo repo, out string? tip)
    {
        var revisions = new List<string>();
        string? since = _options.Since;
        string? branch = _options.Branch;
        if (since is not null && since.Contains("..", StringComparison.Ordinal))
        {
            if (branch is not null)
            {
                throw new ConfigurationException("--since: a range (A..B) already names its end; leave out --branch");
            }

            bool symmetric = since.Contains("...", StringComparison.Ordinal);
            string[] ends = since.Split(symmetric ? "..." : "..", 2);
            string from = ends[0].Length == 0 ? "HEAD" : ends[0];
            string to = ends[1].Length == 0 ? "HEAD" : ends[1];
            repo.ResolveCommit(from, "--since");
            tip = repo.ResolveCommit(to, "--since");
            revisions.Add(symmetric ? $"{from}...{to}" : $"^{from}");
            if (!symmetric)
            {
                revisions.Add(to);
            }
        }
        else
        {
            if (since is not null)
            {
                revisions.Add("^" + repo.ResolveCommit(since, "--since"));
            }

            if (branch is not null)
            {
                tip = repo.ResolveCommit(branch, "--branch");
                revisions.Add(tip);
            }
            else if (since is not null)
            {
                tip = repo.Head ?? throw new ConfigurationException("--since: the repository has no commits on HEAD; name the end with --branch or A..B");
                revisions.Add(tip);
            }
            else
            {
                tip = repo.Head;
            }
        }

        var arguments = new List<string>();
        if (_options.MaxCommits is { } max)
        {
            arguments.Add($"--max-count={max}");
        }

        if (revisions.Count == 0)
        {
            arguments.Add("--all");
        }

        arguments.Add("--end-of-options");
        arguments.AddRange(revisions);
        arguments.Add("--");
        return arguments;
    }

    private static string Plural(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";

    private sealed record PendingCommit(CommitRecord Commit, long Order, BlobSlot?[] Changes);

    private sealed record ChangeJob(BlobSlot Slot, BlobText New, VersionLines[] Old);

    /// <summary>A blob to read: its text for a change, or only the line hashes of a parent version.</summary>
    private sealed record BlobRequest(string Id, BlobText? Text, VersionLines? Lines);

    /// <summary>One scan's processes, queues and counters.</summary>
    private sealed class Run(HistoryScanner owner, GitRepositoryInfo repo, CancellationToken cancellation, Stopwatch clock)
    {
        private readonly ScannedBlobs _changes = new();
        private readonly ScannedBlobs _wholeFiles = new();
        private readonly VersionLinesCache _versions = new(VersionCacheBytes);
        private readonly PathProfiles _profiles = new(owner._scanner.Detector);
        private readonly KeywordPrefilter _keywords = new(owner._scanner.Detector.Rules.SelectMany(r => r.Keywords));
        private readonly bool _everyFileHasCandidates = owner._scanner.Detector.Rules.Any(r => r.Keywords.Count == 0);
        private readonly ConcurrentQueue<string> _warnings = new();
        private readonly Dictionary<string, (long Order, ReportedFinding Finding)> _byFingerprint = new(StringComparer.Ordinal);
        private readonly object _lookupLock = new();
        private BlobScanner? _blobScanner;
        private BlobReader? _lookups;
        private ChannelWriter<BlobRequest>? _requests;
        private long _total = -1;
        private TimeSpan _lastProgress;
        private Exception? _failure;

        public ScanStatistics Statistics { get; } = new();
        public IEnumerable<string> Warnings => _warnings;
        public long Commits { get; private set; }

        private HistoryOptions Options => owner._options;

        private Detector Detector => owner._scanner.Detector;

        private BlobScanner Scanner => _blobScanner ??= new BlobScanner(owner._scanner, Statistics);

        public List<ReportedFinding> Execute(IReadOnlyList<string> revisions, string? tip)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            CancellationToken token = stop.Token;
            using GitProcess log = GitProcess.Start(repo.Root, [.. CommitLog.Arguments, .. revisions]);
            using var batch = new BlobReader(repo.Root, Options.MaxFileSize);
            using CancellationTokenRegistration kill = token.Register(() =>
            {
                // Unblocks the threads reading git's output.
                log.Dispose();
                batch.Dispose();
            });

            if (Options.Progress is not null)
            {
                _ = Task.Run(() => CountCommits(revisions), CancellationToken.None);
            }

            var commits = Channel.CreateBounded<PendingCommit>(new BoundedChannelOptions(CommitsAhead) { SingleReader = true, SingleWriter = true });
            var requests = Channel.CreateUnbounded<BlobRequest>(new UnboundedChannelOptions { SingleReader = true });
            var jobs = Channel.CreateBounded<ChangeJob>(new BoundedChannelOptions(CommitsAhead) { SingleWriter = true });
            var inFlight = new ConcurrentQueue<BlobRequest>();
            _requests = requests.Writer;

            var stages = new List<Task>
            {
                Stage(() => ReadLog(log, commits.Writer, jobs.Writer, token), stop),
                Stage(() => WriteRequests(batch, requests.Reader, inFlight, token), stop),
                Stage(() => ReadAnswers(batch, inFlight), stop),
            };
            for (int i = 0; i < Math.Max(1, Options.MaxParallelism); i++)
            {
                stages.Add(Stage(() => ScanChanges(jobs.Reader, token), stop));
            }

            try
            {
                Attribute(commits.Reader, token);
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                Fail(e, stop);
            }
            catch (OperationCanceledException)
            {
                // Stopped by a failing stage or by the user: said below.
            }

            try
            {
                Task.WaitAll(stages.ToArray());
            }
            catch (AggregateException)
            {
                // Each stage recorded its own failure, if it was the first.
            }

            cancellation.ThrowIfCancellationRequested();
            if (_failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_failure).Throw();
            }

            try
            {
                return MarkInHead(tip);
            }
            finally
            {
                _lookups?.Dispose();
            }
        }

        // Each stage runs on its own thread: they block on pipes, so they must not wait for pool threads.
        private Task Stage(Action body, CancellationTokenSource stop) => Task.Factory.StartNew(
            () =>
            {
                try
                {
                    body();
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    Fail(e, stop);
                    throw;
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        // The first failure is the cause; what the other stages throw as they stop is its echo.
        private void Fail(Exception e, CancellationTokenSource stop)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
            stop.Cancel();
        }

        // Stage 1: commits from git log; each change not scanned before becomes a job, and the
        // blobs it needs that are not at hand are requested from cat-file.
        private void ReadLog(GitProcess log, ChannelWriter<PendingCommit> commits, ChannelWriter<ChangeJob> jobs, CancellationToken token)
        {
            try
            {
                var reader = new CommitLog(log.Output);
                long order = 0;
                while (reader.Next() is { } commit)
                {
                    token.ThrowIfCancellationRequested();
                    var slots = new BlobSlot?[commit.Changes.Count];
                    for (int i = 0; i < slots.Length; i++)
                    {
                        FileChange change = commit.Changes[i];
                        int profile = _profiles.Of(change.Path);
                        if (change.NewBlob is null || profile == PathProfiles.Excluded)
                        {
                            continue;
                        }

                        BlobKey key = BlobKey.Of(change.NewBlob, change.OldBlobs, profile);
                        BlobSlot slot = _changes.Resolve(key, change.NewBlob, change.Path, out bool claimed);
                        if (claimed)
                        {
                            // This change computes the new version's line hashes for its children, unless someone already does.
                            VersionLines version = _versions.Get(change.NewBlob, out bool unknown);
                            var text = new BlobText(change.NewBlob, unknown ? version : null);
                            _requests!.TryWrite(new BlobRequest(change.NewBlob, text, null));
                            Write(jobs, new ChangeJob(slot, text, change.OldBlobs.Select(Parent).ToArray()), token);
                        }

                        slots[i] = slot;
                    }

                    Write(commits, new PendingCommit(commit, order++, slots), token);
                }

                token.ThrowIfCancellationRequested();
                log.WaitForSuccess();
            }
            finally
            {
                _requests!.TryComplete();
                jobs.TryComplete();
                commits.TryComplete();
            }
        }

        private static void Write<T>(ChannelWriter<T> channel, T item, CancellationToken token)
        {
            if (!channel.TryWrite(item))
            {
                channel.WriteAsync(item, token).AsTask().GetAwaiter().GetResult();
            }
        }

        // A parent version's line hashes: at hand, on their way, or requested now.
        private VersionLines Parent(string id)
        {
            VersionLines lines = _versions.Get(id, out bool isNew);
            if (isNew)
            {
                _requests!.TryWrite(new BlobRequest(id, null, lines));
            }

            return lines;
        }

        // Stage 2: requests to cat-file, flushed whenever the queue runs dry so git never waits on us.
        private static void WriteRequests(BlobReader batch, ChannelReader<BlobRequest> requests, ConcurrentQueue<BlobRequest> inFlight, CancellationToken token)
        {
            try
            {
                while (requests.WaitToReadAsync(token).AsTask().GetAwaiter().GetResult())
                {
                    while (requests.TryRead(out BlobRequest? request))
                    {
                        inFlight.Enqueue(request);
                        batch.Request(request.Id);
                    }

                    batch.Flush();
                }
            }
            finally
            {
                batch.Complete();
            }
        }

        // Stage 3: cat-file's answers, in request order, decoded for whoever waits on them.
        private void ReadAnswers(BlobReader batch, ConcurrentQueue<BlobRequest> inFlight)
        {
            try
            {
                while (batch.ReadNext() is { } blob)
                {
                    using (blob)
                    {
                        if (!inFlight.TryDequeue(out BlobRequest? request))
                        {
                            throw new InvalidOperationException("git cat-file answered more than was asked");
                        }

                        Complete(request, blob);
                    }
                }

                if (!inFlight.IsEmpty && !cancellation.IsCancellationRequested)
                {
                    throw new ConfigurationException("git cat-file stopped before answering every request");
                }
            }
            finally
            {
                // Nobody waits forever on a blob that will not come.
                while (inFlight.TryDequeue(out BlobRequest? orphan))
                {
                    orphan.Text?.Fail(new OperationCanceledException());
                    orphan.Text?.Feeds?.Fail(new OperationCanceledException());
                    orphan.Lines?.Fail(new OperationCanceledException());
                }
            }
        }

        private void Complete(BlobRequest request, Blob blob)
        {
            (BlobKind kind, string? text) = blob.Status switch
            {
                BlobStatus.TooLarge => (BlobKind.TooLarge, null),
                BlobStatus.Missing or BlobStatus.NotABlob => (BlobKind.Missing, null),
                _ => BlobScanner.Classify(blob.Bytes) is BlobKind.Text ? (BlobKind.Text, TextDecoding.Decode(blob.Bytes)) : (BlobScanner.Classify(blob.Bytes), (string?)null),
            };

            if (request.Text is { } forChange)
            {
                // Counted once, for the change that scans it; a parent read only for its hashes is not a scan.
                switch (kind)
                {
                    case BlobKind.Text: Statistics.AddScanned(blob.Size); break;
                    case BlobKind.TooLarge: Statistics.AddSkippedTooLarge(); break;
                    case BlobKind.Missing: Statistics.AddUnreadable(); break;
                    default: Statistics.AddSkippedBinary(); break;
                }

                forChange.Complete(kind, text, blob.Size);
                if (kind != BlobKind.Text && forChange.Feeds is { } fed)
                {
                    _versions.Charge(fed);
                }
            }

            if (request.Lines is { } lines)
            {
                lines.Complete(kind, text is null ? null : BlobLines.Of(text).SortedHashes());
                _versions.Charge(lines);
            }
        }

        // Stage 4, on every core: what each change added, through the detector.
        private void ScanChanges(ChannelReader<ChangeJob> jobs, CancellationToken token)
        {
            while (jobs.WaitToReadAsync(token).AsTask().GetAwaiter().GetResult())
            {
                while (jobs.TryRead(out ChangeJob? job))
                {
                    try
                    {
                        _changes.Complete(job.Slot, ScanChange(job, token));
                    }
                    catch (Exception e)
                    {
                        job.Slot.Fail(e);
                        job.New.Feeds?.Fail(e);
                        throw;
                    }
                }
            }
        }

        private IReadOnlyList<Finding> ScanChange(ChangeJob job, CancellationToken token)
        {
            string path = job.Slot.Path;
            BlobText blob = job.New.WaitFor(token);
            switch (blob.Kind)
            {
                case BlobKind.Binary:
                    return ScanBinary(path, blob.Id);
                case BlobKind.TooLarge:
                    _warnings.Enqueue($"{path}: blob {BlobScanner.Short(blob.Id)} skipped: larger than --max-file-size ({blob.Size} bytes)");
                    return [];
                case BlobKind.Missing:
                    _warnings.Enqueue($"{path}: blob {BlobScanner.Short(blob.Id)} is not in the repository (partial or shallow clone)");
                    return [];
                case BlobKind.LfsPointer:
                    return [];
            }

            // Hashes for the children first: a change may wait on its own version (a mode change).
            BlobLines lines = BlobLines.Of(blob.Text!);
            if (job.New.Feeds is { } feeds)
            {
                feeds.Complete(BlobKind.Text, lines.SortedHashes());
                _versions.Charge(feeds);
            }

            var parents = new List<ulong[]>(job.Old.Length);
            foreach (VersionLines old in job.Old)
            {
                parents.Add(old.WaitFor(token).Sorted ?? []);
            }

            AddedLines added = AddedLines.Compute(lines, parents);
            if (added.Count == 0)
            {
                return [];
            }

            Fragment fragment = added.ToFragment(path, out int[] map);
            bool candidate = _everyFileHasCandidates || _keywords.ContainsAny(fragment.Text);
            if (!candidate)
            {
                return [];
            }

            // A file's first version is scanned whole, as 'scan' reads a file (config structure,
            // key names, encoded values); later versions only for the lines they add.
            if (added.Count == added.LineCount)
            {
                BlobSlot whole = _wholeFiles.Resolve(blob.Id, path, job.Slot.Key.Profile, out bool claimed);
                if (claimed)
                {
                    _wholeFiles.Complete(whole, owner._scanner.Scan(path, blob.Text!, _warnings.Enqueue));
                }

                return whole.FindingsAt(path, token);
            }

            var found = new List<Finding>();
            foreach (Finding f in Detector.Scan(fragment, _warnings.Enqueue))
            {
                int line = map[f.Line - 1], endLine = map[Math.Min(f.EndLine, map.Length) - 1];
                if (added.AnyAdded(line, endLine))
                {
                    found.Add(f with { Line = line, EndLine = endLine, Offset = -1 });
                }
            }

            return found;
        }

        // Binary files: only rules that match by path; a keystore is read to see whether it opens without a password.
        private IReadOnlyList<Finding> ScanBinary(string path, string id)
        {
            if (Detector.Scan(new Fragment("", path)).Count == 0)
            {
                return [];
            }

            using Blob? blob = Lookup(id);
            return blob is { Status: BlobStatus.Read } ? Scanner.ScanBinary(path, blob.Bytes) : [];
        }

        private Blob? Lookup(string name)
        {
            lock (_lookupLock)
            {
                _lookups ??= new BlobReader(repo.Root, Options.MaxFileSize);
                return _lookups.Read(name);
            }
        }

        // Stage 5, in log order: which findings each commit introduced.
        private void Attribute(ChannelReader<PendingCommit> commits, CancellationToken token)
        {
            while (commits.WaitToReadAsync(token).AsTask().GetAwaiter().GetResult())
            {
                while (commits.TryRead(out PendingCommit? pending))
                {
                    AttributeCommit(pending, token);
                    Commits++;
                    ReportProgress(force: false);
                }
            }

            ReportProgress(force: true);
        }

        private void AttributeCommit(PendingCommit pending, CancellationToken token)
        {
            CommitRecord commit = pending.Commit;
            List<Finding>? candidates = null;
            for (int i = 0; i < pending.Changes.Length; i++)
            {
                if (pending.Changes[i] is { } slot && slot.FindingsAt(commit.Changes[i].Path, token) is { Count: > 0 } found)
                {
                    (candidates ??= []).AddRange(found);
                }
            }

            if (candidates is null)
            {
                return;
            }

            // A secret that a parent already had in any file this commit touched was moved or
            // renamed here, not introduced.
            List<string> before = commit.Changes.SelectMany(c => c.OldBlobs).Distinct(StringComparer.Ordinal).Select(id => OldText(id, token)).OfType<string>().ToList();
            foreach (Finding f in candidates)
            {
                string needle = Needle(f.Secret) ?? f.Secret;
                if (needle.Length > 0 && before.Any(text => text.Contains(needle, StringComparison.Ordinal)))
                {
                    continue;
                }

                // Commits come oldest first (parents before children): the first sighting is the introduction.
                if (!_byFingerprint.TryGetValue(f.Fingerprint, out var known) || known.Order > pending.Order)
                {
                    _byFingerprint[f.Fingerprint] = (pending.Order, new ReportedFinding(f, commit.Id)
                    {
                        Author = commit.Author,
                        AuthorEmail = commit.Email,
                        Date = commit.Date,
                    });
                }
            }
        }

        // A parent's text, read again: only for the rare commits that bring a candidate finding.
        private string? OldText(string id, CancellationToken token)
        {
            token.ThrowIfCancellationRequested();
            using Blob? blob = Lookup(id);
            return blob is { Status: BlobStatus.Read } && BlobScanner.Classify(blob.Bytes) == BlobKind.Text ? TextDecoding.Decode(blob.Bytes) : null;
        }

        // Whether each secret is still in the tip: found again in the file at its path, or its
        // text anywhere in the tip's tree (moved elsewhere).
        private List<ReportedFinding> MarkInHead(string? tip)
        {
            var findings = _byFingerprint.Values.Select(v => v.Finding).ToList();
            if (findings.Count == 0 || tip is null)
            {
                return findings;
            }

            var samePath = new HashSet<string>(StringComparer.Ordinal);
            foreach (string path in findings.Select(f => f.Finding.Path).Distinct(StringComparer.Ordinal))
            {
                int profile = _profiles.Of(path);
                using Blob? blob = Lookup($"{tip}:{path}");
                if (blob is null || blob.Status == BlobStatus.Missing || profile == PathProfiles.Excluded)
                {
                    continue;
                }

                BlobSlot slot = _wholeFiles.Resolve(blob.Id, path, profile, out bool claimed);
                if (claimed)
                {
                    _wholeFiles.Complete(slot, Scanner.Scan(path, blob, _warnings.Enqueue));
                }

                foreach (Finding f in slot.FindingsAt(path, cancellation))
                {
                    samePath.Add(f.Fingerprint);
                }
            }

            HashSet<string> anywhere = GrepTip(tip, findings.Select(f => Needle(f.Finding.Secret)).OfType<string>());
            return findings
                .Select(f => f with { InHead = samePath.Contains(f.Finding.Fingerprint) || (Needle(f.Finding.Secret) is { } n && anywhere.Contains(n)) })
                .ToList();
        }

        // The longest line of a secret (a private key spans many) is what to look for.
        private static string? Needle(string secret)
        {
            string longest = secret.Split('\n').Select(l => l.Trim('\r', ' ', '\t')).MaxBy(l => l.Length) ?? "";
            return longest.Length >= 8 ? longest : null;
        }

        // Secrets go to git on stdin, never on a command line other users can read.
        // (tip is a resolved commit id, so it cannot be taken for an option.)
        private HashSet<string> GrepTip(string tip, IEnumerable<string> needles)
        {
            var distinct = needles.Distinct(StringComparer.Ordinal).ToList();
            var found = new HashSet<string>(StringComparer.Ordinal);
            if (distinct.Count == 0)
            {
                return found;
            }

            var (code, output, _) = GitProcess.Run(repo.Root, ["grep", "-F", "-o", "-h", "-I", "--no-color", "-f", "-", tip, "--"], string.Join('\n', distinct) + "\n");
            if (code == 0)
            {
                foreach (string line in output.Split('\n'))
                {
                    found.Add(line);
                }
            }

            return found;
        }

        private void CountCommits(IReadOnlyList<string> revisions)
        {
            var (code, output, _) = GitProcess.Run(repo.Root, ["rev-list", "--count", .. revisions]);
            if (code == 0 && long.TryParse(output.Trim(), out long total))
            {
                Interlocked.Exchange(ref _total, total);
            }
        }

        private void ReportProgress(bool force)
        {
            if (Options.Progress is not { } progress)
            {
                return;
            }

            TimeSpan now = clock.Elapsed;
            if (!force && now - _lastProgress < ProgressInterval)
            {
                return;
            }

            _lastProgress = now;
            long total = Interlocked.Read(ref _total);
            progress(new HistoryProgress(Commits, total < 0 ? null : total, Statistics.FilesScanned, Statistics.BytesScanned, _byFingerprint.Count, now));
        }
    }
}
