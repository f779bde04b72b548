using System;

namespace NhiGuard.Detection;

/// <summary><c>nhiguard:allow</c> on a finding's line, or <c>nhiguard:allow-next-line</c> on the line above.</summary>
public static class InlineAllow
{
    private const string Allow = "nhiguard:allow";
    private const string NextLine = "nhiguard:allow-next-line";

    /// <summary>Whether the text from <paramref name="offset"/> (for <paramref name="length"/> characters) is allowed inline.</summary>
    public static bool IsAllowed(LineIndex lines, int offset, int length) =>
        IsAllowedLines(lines, lines.LineOf(offset), lines.LineOf(Math.Max(offset, offset + length - 1)));

    internal static bool IsAllowedLines(LineIndex lines, int firstLine, int lastLine)
    {
        for (int line = firstLine; line <= lastLine; line++)
        {
            if (HasAllow(lines.TextOfLine(line)))
            {
                return true;
            }
        }

        return firstLine > 0 && lines.TextOfLine(firstLine - 1).IndexOf(NextLine, StringComparison.OrdinalIgnoreCase) >= 0;
    }

    private static bool HasAllow(string line)
    {
        int at = 0;
        while ((at = line.IndexOf(Allow, at, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            if (string.Compare(line, at, NextLine, 0, NextLine.Length, StringComparison.OrdinalIgnoreCase) != 0)
            {
                return true;
            }

            at += Allow.Length;
        }

        return false;
    }
}
