namespace NhiGuard.Detection;

/// <summary>A piece of text to scan and where it came from.</summary>
/// <param name="Text">The text.</param>
/// <param name="Path">Relative, '/'-separated path; part of every finding's fingerprint.</param>
/// <param name="FirstLine">The line number of the text's first line in its file (for diff hunks).</param>
public sealed record Fragment(string Text, string Path, int FirstLine = 1);
