namespace NhiGuard.Scanner;

/// <summary>Counters of one scan, safe to update from several threads.</summary>
public sealed class ScanStatistics
{
    private long _filesScanned;
    private long _bytesScanned;
    private long _skippedBinary;
    private long _skippedTooLarge;
    private long _skippedSymlink;
    private long _unreadable;

    public long FilesScanned => Interlocked.Read(ref _filesScanned);
    public long BytesScanned => Interlocked.Read(ref _bytesScanned);
    public long SkippedBinary => Interlocked.Read(ref _skippedBinary);
    public long SkippedTooLarge => Interlocked.Read(ref _skippedTooLarge);
    public long SkippedSymlink => Interlocked.Read(ref _skippedSymlink);
    public long Unreadable => Interlocked.Read(ref _unreadable);

    public void AddScanned(long bytes)
    {
        Interlocked.Increment(ref _filesScanned);
        Interlocked.Add(ref _bytesScanned, bytes);
    }

    public void AddSkippedBinary() => Interlocked.Increment(ref _skippedBinary);
    public void AddSkippedTooLarge() => Interlocked.Increment(ref _skippedTooLarge);
    public void AddSkippedSymlink() => Interlocked.Increment(ref _skippedSymlink);
    public void AddUnreadable() => Interlocked.Increment(ref _unreadable);
}
