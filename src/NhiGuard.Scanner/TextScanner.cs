using NhiGuard.Detection;

namespace NhiGuard.Scanner;

/// <summary>
/// Scans one file's text: the detector over the raw text, plus the file's structure where its
/// format is known (the key that holds a secret; values whose key says they are secrets).
/// </summary>
public sealed class TextScanner(Detector detector)
{
    public Detector Detector { get; } = detector;

    /// <param name="relativePath">'/'-separated path relative to the scanned root.</param>
    public IReadOnlyList<Finding> Scan(string relativePath, string text, Action<string>? onWarning = null) =>
        Detector.Scan(new Fragment(text, relativePath), onWarning);
}
