using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
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

    /// <summary>How many bytes of changes' new versions may be read before they are scanned (the memory reading ahead may hold).</summary>
    internal long ReadAheadBytes { get; init; } = 64L << 20;

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
/// <c>scan</c> reads a file; a later version only for the lines none of its parents had (see
/// <see cref="AddedLines"/>; recent versions stay in a bounded cache, so each blob is read once).
/// The same change (blob and parents) is scanned once however many commits bring it. Work runs
/// on every core while commits are attributed in order; memory is bounded by the read-ahead
/// (64 MB of new versions, a few thousand queued changes) and fixed caches, not by the history's length.
/// </remarks>
public sealed class HistoryScanner(ScanConfig config, HistoryOptions options)
{
    // How far reading may run ahead of scanning: at most this many commits and changes queued,
    // and HistoryOptions.ReadAheadBytes of new versions read for changes not scanned yet. A count
    // alone (256) left the scanners short of work behind a large change; bytes bound the memory.
    private const int CommitsAhead = 4096;

    // Recent versions' text, kept for their child commits: 48 MB at most (a forgotten one is read again).
    private const long VersionCacheBytes = 48L << 20;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);

    // The rules compile on a pool thread while git checks the repository and walks its history
    // (35 ms of start-up that no longer comes before the first git process).
    private readonly Task<TextScanner> _building = Task.Run(() => new TextScanner(config.CreateDetector()));
    private readonly HistoryOptions _options = options;

    public ScanResult Scan(string repository, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();

        GitRepositoryInfo repo;
        try
        {
            repo = GitRepositoryInfo.Open(repository);
        }
        catch (ConfigurationException)
        {
            // A malformed rule is said first, as when the rules compiled before git ran.
            _ = Text;
            throw;
        }

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

        IReadOnlyList<ReportedFinding> all = ReportedFinding.InReportOrder(found);

        return new ScanResult
        {
            Root = repo.Root,
            Findings = all,
            Rules = Text.Detector.Rules,
            Statistics = run.Statistics,
            Warnings = run.Warnings.Distinct().OrderBy(w => w, StringComparer.Ordinal).ToList(),
            Notices = notices,
            CommitsScanned = run.Commits,
            Duration = clock.Elapsed,
        }.WithBaseline(_options.Baseline);
    }

    /// <summary>The rules, compiled (a malformed one throws its <see cref="ConfigurationException"/> here).</summary>
    private TextScanner Text => _building.GetAwaiter().GetResult();

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

    private sealed record ChangeJob(BlobSlot Slot, BlobVersion New, BlobVersion[] Old);

    /// <summary>One scan's processes, queues and counters.</summary>
    private sealed class Run(HistoryScanner owner, GitRepositoryInfo repo, CancellationToken cancellation, Stopwatch clock)
    {
        private readonly ScannedBlobs _changes = new();
        private readonly ScannedBlobs _wholeFiles = new();
        private readonly BlobVersionCache _versions = new(VersionCacheBytes);
        private PathProfiles? _profiles;
        private readonly ConcurrentQueue<string> _warnings = new();
        private readonly Dictionary<string, (long Order, ReportedFinding Finding)> _byFingerprint = new(StringComparer.Ordinal);
        private string? _tip;
        private readonly object _aheadLock = new();
        private long _ahead;
        private Task<List<string>>? _tipBlobs;
        private readonly object _lookupLock = new();
        private BlobScanner? _blobScanner;
        private BlobReader? _lookups;
        private ObjectDatabase? _objects;
        private WorkQueue<BlobVersion>? _requests;
        private long _total = -1;
        private TimeSpan _lastProgress;
        private Exception? _failure;

        public ScanStatistics Statistics { get; } = new();
        public IEnumerable<string> Warnings => _warnings;
        public long Commits { get; private set; }

        private HistoryOptions Options => owner._options;

        private Detector Detector => owner.Text.Detector;

        private PathProfiles Profiles => _profiles!;

        private BlobScanner Scanner => _blobScanner ??= new BlobScanner(owner.Text, Statistics);

        public List<ReportedFinding> Execute(IReadOnlyList<string> revisions, string? tip)
        {
            _tip = tip;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            CancellationToken token = stop.Token;
            using GitProcess log = GitProcess.Start(repo.Root, [.. CommitLog.Arguments, .. revisions]);
            using var batch = new BlobReader(repo.Root, Options.MaxFileSize);
            using ObjectDatabase? objects = _objects = OpenObjects(repo);

            // While git walks the history (it says nothing before it has walked all of it).
            _profiles = new PathProfiles(Detector);
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

            using var commits = new WorkQueue<PendingCommit>(token, CommitsAhead);
            using var requests = new WorkQueue<BlobVersion>(token);
            using var jobs = new WorkQueue<ChangeJob>(token, CommitsAhead);
            var inFlight = new ConcurrentQueue<BlobVersion>();
            _requests = requests;

            var stages = new List<Task>
            {
                Stage(() => ReadLog(log, commits, jobs, token), stop),
                Stage(() => ReadOrRequest(batch, requests, inFlight, token), stop),
                Stage(() => ReadAnswers(batch, inFlight), stop),
            };
            for (int i = 0; i < Math.Max(1, Options.MaxParallelism); i++)
            {
                stages.Add(Stage(() => ScanChanges(jobs, token), stop));
            }

            try
            {
                Attribute(commits, token);
            }
            catch (Exception e)
            {
                // Once stopped (by a failing stage or by the user), what it throws is an echo: said below.
                if (!token.IsCancellationRequested)
                {
                    Fail(e, stop);
                }
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

        // The first failure is the cause; what the other stages throw as they stop is its echo. A
        // stage that waited on another's work fails with that failure inside: the cause is unwrapped.
        private void Fail(Exception e, CancellationTokenSource stop)
        {
            Interlocked.CompareExchange(ref _failure, CauseOf(e), null);
            stop.Cancel();
        }

        private static Exception CauseOf(Exception e)
        {
            while (true)
            {
                switch (e)
                {
                    case AggregateException { InnerExceptions: [var inner] }:
                        e = inner;
                        break;
                    case OperationCanceledException { InnerException: { } inner }:
                        e = inner;
                        break;
                    default:
                        return e;
                }
            }
        }

        // Stage 1: commits from git log; each change not scanned before becomes a job, and the
        // blobs it needs that are not at hand are requested from cat-file.
        private void ReadLog(GitProcess log, WorkQueue<PendingCommit> commits, WorkQueue<ChangeJob> jobs, CancellationToken token)
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
                        int profile = Profiles.Of(change.Path);
                        if (change.NewBlob is null || profile == PathProfiles.Excluded)
                        {
                            continue;
                        }

                        BlobKey key = BlobKey.Of(change.NewBlob, change.OldBlobs, profile);
                        BlobSlot slot = _changes.Resolve(key, change.NewBlob, change.Path, out bool claimed);
                        if (claimed)
                        {
                            jobs.Add(new ChangeJob(slot, Version(change.NewBlob, opensChange: true), change.OldBlobs.Select(id => Version(id)).ToArray()));
                        }

                        slots[i] = slot;
                    }

                    commits.Add(new PendingCommit(commit, order++, slots));
                }

                token.ThrowIfCancellationRequested();
                log.WaitForSuccess();
            }
            finally
            {
                _requests!.Complete();
                jobs.Complete();
                commits.Complete();
            }
        }

        // A version: at hand, on its way, or requested now.
        private BlobVersion Version(string id, bool opensChange = false)
        {
            BlobVersion version = _versions.Get(id, out bool isNew);
            if (isNew)
            {
                version.CountsAhead = opensChange;
                _requests!.Add(version);
            }

            return version;
        }

        // The repository's object files, read in this process; null leaves every read to cat-file.
        private static ObjectDatabase? OpenObjects(GitRepositoryInfo repo)
        {
            if (Environment.GetEnvironmentVariable("NHIGUARD_READ_OBJECTS") == "git")
            {
                return null;
            }

            // git would answer a replaced object with its replacement; so must we, so git answers.
            var (code, output, _) = GitProcess.Run(repo.Root, ["for-each-ref", "--count=1", "--format=x", "refs/replace/"]);
            return ObjectDatabase.Open(repo.ObjectsDirectory, repo.ObjectFormat, hasReplaceRefs: code != 0 || output.Trim().Length > 0);
        }

        // Stage 2: each blob read from the object files, or else requested from cat-file, whose
        // requests are flushed whenever the queue runs dry so git never waits on us. Reading
        // here, one blob ahead of the scanners, measured faster than scanners reading what they
        // need themselves (they waited on each other's reads and inflated shared bases twice).
        private void ReadOrRequest(BlobReader batch, WorkQueue<BlobVersion> requests, ConcurrentQueue<BlobVersion> inFlight, CancellationToken token)
        {
            try
            {
                var batchOfRequests = new List<BlobVersion>();
                while (requests.TryTakeAll(batchOfRequests))
                {
                    bool asked = false;
                    foreach (BlobVersion request in batchOfRequests)
                    {
                        if (request.CountsAhead)
                        {
                            // A new change: only with room ahead (what was asked of git goes out
                            // first, since the changes that would make room may need it).
                            if (asked)
                            {
                                batch.Flush();
                                asked = false;
                            }

                            WaitForRoom(token);
                        }

                        if (_objects?.TryRead(request.Id, Options.MaxFileSize) is { } blob)
                        {
                            using (blob)
                            {
                                ChargeAhead(request, blob.Size);
                                request.Complete(blob);
                            }

                            _versions.Charge(request);
                            continue;
                        }

                        inFlight.Enqueue(request);
                        batch.Request(request.Id);
                        asked = true;
                    }

                    batchOfRequests.Clear();
                    if (asked)
                    {
                        batch.Flush();
                    }
                }
            }
            finally
            {
                batch.Complete();
            }
        }

        // Stage 3: cat-file's answers, in request order, for whoever waits on them.
        private void ReadAnswers(BlobReader batch, ConcurrentQueue<BlobVersion> inFlight)
        {
            Exception? cause = null;
            try
            {
                while (batch.ReadNext(owned: true) is { } blob)
                {
                    using (blob)
                    {
                        if (!inFlight.TryDequeue(out BlobVersion? request))
                        {
                            throw new InvalidOperationException("git cat-file answered more than was asked");
                        }

                        ChargeAhead(request, blob.Size);
                        request.Complete(blob);
                        _versions.Charge(request);
                    }
                }

                if (!inFlight.IsEmpty && !cancellation.IsCancellationRequested)
                {
                    throw batch.Failure("git cat-file stopped before answering every request");
                }
            }
            catch (Exception e)
            {
                cause = e;
                throw;
            }
            finally
            {
                // Nobody waits forever on a blob that will not come; whoever waited says why.
                while (inFlight.TryDequeue(out BlobVersion? orphan))
                {
                    orphan.Fail(cause ?? new OperationCanceledException());
                }
            }
        }

        // Stage 4, on every core: what each change added, through the detector.
        private void ScanChanges(WorkQueue<ChangeJob> jobs, CancellationToken token)
        {
            while (jobs.TryTake(out ChangeJob job))
            {
                try
                {
                    _changes.Complete(job.Slot, ScanChange(job, token));
                }
                catch (Exception e)
                {
                    job.Slot.Fail(e);
                    throw;
                }
                finally
                {
                    ReleaseAhead(job.New);
                }
            }
        }

        // A new change's version counts against the read-ahead from before anyone can see it read
        // (so that its scanner always finds the charge to release) until its change is scanned.
        private void ChargeAhead(BlobVersion version, long bytes)
        {
            if (version.CountsAhead)
            {
                lock (_aheadLock)
                {
                    version.AheadCharge = bytes;
                    _ahead += bytes;
                }
            }
        }

        private void ReleaseAhead(BlobVersion version)
        {
            lock (_aheadLock)
            {
                _ahead -= version.AheadCharge;
                version.AheadCharge = 0;
                Monitor.PulseAll(_aheadLock);
            }
        }

        private void WaitForRoom(CancellationToken token)
        {
            lock (_aheadLock)
            {
                while (_ahead > Options.ReadAheadBytes && !token.IsCancellationRequested)
                {
                    Monitor.Wait(_aheadLock, 100);
                }
            }
        }

        private IReadOnlyList<Finding> ScanChange(ChangeJob job, CancellationToken token)
        {
            string path = job.Slot.Path;
            BlobVersion blob = job.New.WaitFor(token);
            switch (blob.Kind)
            {
                case BlobKind.Binary:
                    Statistics.AddSkippedBinary();
                    return ScanBinary(path, blob.Id);
                case BlobKind.TooLarge:
                    Statistics.AddSkippedTooLarge();
                    _warnings.Enqueue($"{path}: blob {BlobScanner.Short(blob.Id)} skipped: larger than --max-file-size ({blob.Size} bytes)");
                    return [];
                case BlobKind.Missing:
                    Statistics.AddUnreadable();
                    _warnings.Enqueue($"{path}: blob {BlobScanner.Short(blob.Id)} is not in the repository (partial or shallow clone)");
                    return [];
                case BlobKind.LfsPointer:
                    Statistics.AddSkippedBinary();
                    return [];
            }

            Statistics.AddScanned(blob.Size);
            var parents = new List<byte[]>(job.Old.Length);
            foreach (BlobVersion old in job.Old)
            {
                // A parent that was not text shares no lines with this version.
                parents.Add(old.WaitFor(token).Utf8Text ?? []);
            }

            AddedLines added = AddedLines.Compute(blob.Utf8Text!, parents);
            if (added.Count == 0)
            {
                return [];
            }

            // A file's first version is scanned whole, as 'scan' reads a file (config structure,
            // key names, encoded values); later versions only for the lines they add.
            if (added.IsWholeFile)
            {
                BlobSlot whole = _wholeFiles.Resolve(blob.Id, path, job.Slot.Key.Profile, out bool claimed);
                if (claimed)
                {
                    string text = blob.Decode();
                    _wholeFiles.Complete(whole, MayFind(path, text) ? owner.Text.Scan(path, text, _warnings.Enqueue) : []);
                }

                return whole.FindingsAt(path, token);
            }

            // Later versions: the added lines (with the line above each run) through the detector;
            // in a configuration file, also what the file's structure shows on them.
            Fragment fragment = added.ToFragment(path, out int[] map);
            bool keywords = MayFind(path, fragment.Text);
            bool config = TextScanner.ReadsStructureOf(path);
            var found = new List<Finding>();
            if (keywords)
            {
                foreach (Finding f in Detector.Scan(fragment, _warnings.Enqueue))
                {
                    int line = map[f.Line - 1], endLine = map[Math.Min(f.EndLine, map.Length) - 1];
                    if (added.AnyAdded(line, endLine))
                    {
                        found.Add(f with { Line = line, EndLine = endLine, Offset = -1 });
                    }
                }
            }

            return config ? owner.Text.ScanAdded(path, blob.Decode(), found, added.AnyAdded, _warnings.Enqueue) : found;
        }

        // The detector's own gate: a keyword in the text, or a rule that needs none at this path.
        private bool MayFind(string path, string text) => Detector.HasRulesWithoutKeywordsAt(path) || Detector.HasKeyword(text);

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
            if (_objects?.TryRead(name, Options.MaxFileSize) is { } stored)
            {
                return stored;
            }

            lock (_lookupLock)
            {
                _lookups ??= new BlobReader(repo.Root, Options.MaxFileSize);
                return _lookups.Read(name);
            }
        }

        // Stage 5, in log order: which findings each commit introduced.
        private void Attribute(WorkQueue<PendingCommit> commits, CancellationToken token)
        {
            while (commits.TryTake(out PendingCommit pending))
            {
                AttributeCommit(pending, token);
                Commits++;
                ReportProgress(force: false);
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
                    if (_tipBlobs is null && _tip is not null && _objects is not null)
                    {
                        // The first finding: the tip's file list, for "still in HEAD", while the scan goes on.
                        _tipBlobs = Task.Run(() => TipBlobs(_tip));
                    }

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
            if (_versions.Peek(id) is { } cached)
            {
                return Encoding.UTF8.GetString(cached);
            }

            using Blob? blob = Lookup(id);
            return blob is { Status: BlobStatus.Read } && BlobScanner.Classify(blob.Bytes) == BlobKind.Text ? TextDecoding.Decode(blob.Bytes) : null;
        }

        // Whether each secret is still in the tip: found again in the file at its path, or its
        // text anywhere in the tip's tree (moved elsewhere). The search of the tree runs beside
        // the rest, and the tip's files are asked of one cat-file in a stream, not one round trip each.
        private List<ReportedFinding> MarkInHead(string? tip)
        {
            var findings = _byFingerprint.Values.Select(v => v.Finding).ToList();
            if (findings.Count == 0 || tip is null)
            {
                return findings;
            }

            List<string> needles = findings.Select(f => Needle(f.Finding.Secret)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            Task<HashSet<string>> anywhere = Task.Run(() => _tipBlobs is { } blobs ? FindInTip(blobs.GetAwaiter().GetResult(), needles) : GrepTip(tip, needles));
            var samePath = new HashSet<string>(StringComparer.Ordinal);
            List<string> paths = findings.Select(f => f.Finding.Path).Distinct(StringComparer.Ordinal).Where(p => Profiles.Of(p) != PathProfiles.Excluded).ToList();
            using (var tipFiles = new BlobReader(repo.Root, Options.MaxFileSize))
            {
                // Requests go in from another thread, so git never waits on a full pipe while we write.
                Task asking = Task.Run(() =>
                {
                    foreach (string path in paths)
                    {
                        tipFiles.Request($"{tip}:{path}");
                    }

                    tipFiles.Complete();
                });
                foreach (string path in paths)
                {
                    using Blob blob = tipFiles.ReadNext() ?? throw new ConfigurationException($"git cat-file stopped before answering for {tip}:{path}");
                    if (blob.Status == BlobStatus.Missing)
                    {
                        continue;
                    }

                    BlobSlot slot = _wholeFiles.Resolve(blob.Id, path, Profiles.Of(path), out bool claimed);
                    if (claimed)
                    {
                        _wholeFiles.Complete(slot, Scanner.Scan(path, blob, _warnings.Enqueue));
                    }

                    foreach (Finding f in slot.FindingsAt(path, cancellation))
                    {
                        samePath.Add(f.Fingerprint);
                    }
                }

                asking.GetAwaiter().GetResult();
            }

            HashSet<string> found = anywhere.GetAwaiter().GetResult();
            return findings
                .Select(f => f with { InHead = samePath.Contains(f.Finding.Fingerprint) || (Needle(f.Finding.Secret) is { } n && found.Contains(n)) })
                .ToList();
        }

        // The longest line of a secret (a private key spans many) is what to look for.
        private static string? Needle(string secret)
        {
            string longest = secret.Split('\n').Select(l => l.Trim('\r', ' ', '\t')).MaxBy(l => l.Length) ?? "";
            return longest.Length >= 8 ? longest : null;
        }

        // The tip's blobs, by id (git ls-tree; a path or mode is not needed to search their text).
        private List<string> TipBlobs(string tip)
        {
            var (code, output, error) = GitProcess.Run(repo.Root, ["ls-tree", "-r", "-z", "--full-tree", tip]);
            if (code != 0)
            {
                throw new ConfigurationException($"git ls-tree {BlobScanner.Short(tip)} failed: {error.Trim()}");
            }

            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (string entry in output.Split('\0'))
            {
                // "<mode> <type> <id>\t<path>"
                int tab = entry.IndexOf('\t');
                string[] fields = (tab < 0 ? entry : entry.Substring(0, tab)).Split(' ');
                if (fields.Length == 3 && fields[1] == "blob")
                {
                    ids.Add(fields[2]);
                }
            }

            return [.. ids];
        }

        // Which needles occur in any text file of the tip: what git grep -F -I would say, read in
        // this process on every core from the version cache and the object files (most of the tip
        // was read moments ago), instead of a single-threaded git grep after the scan.
        private HashSet<string> FindInTip(List<string> blobs, List<string> needles)
        {
            var found = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
            if (needles.Count == 0)
            {
                return [];
            }

            var search = System.Buffers.SearchValues.Create(needles.ToArray(), StringComparison.Ordinal);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Options.MaxParallelism), CancellationToken = cancellation };
            Parallel.ForEach(blobs, parallel, (id, loop) =>
            {
                if (found.Count == needles.Count)
                {
                    loop.Stop();
                    return;
                }

                ReadOnlySpan<char> rest = OldText(id, cancellation);
                for (int at = rest.IndexOfAny(search); at >= 0; at = rest.IndexOfAny(search))
                {
                    rest = rest.Slice(at);
                    foreach (string needle in needles)
                    {
                        if (rest.StartsWith(needle, StringComparison.Ordinal))
                        {
                            found.TryAdd(needle, 0);
                        }
                    }

                    rest = rest.Slice(1);
                }
            });
            return new HashSet<string>(found.Keys, StringComparer.Ordinal);
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
