using System.Collections.Generic;

namespace NhiGuard.Detection;

/// <summary>Maps character offsets of a text to 1-based lines and columns.</summary>
public sealed class LineIndex
{
    private readonly string _text;
    private readonly List<int> _starts = new() { 0 };

    public LineIndex(string text)
    {
        _text = text;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                _starts.Add(i + 1);
            }
        }
    }

    /// <summary>0-based line of <paramref name="offset"/>.</summary>
    public int LineOf(int offset)
    {
        int lo = 0, hi = _starts.Count - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (_starts[mid] <= offset)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }

    public int StartOf(int line) => _starts[line];

    public string TextOfLine(int line)
    {
        int start = _starts[line];
        int end = line + 1 < _starts.Count ? _starts[line + 1] : _text.Length;
        return _text.Substring(start, end - start).TrimEnd('\n', '\r');
    }

    public int LineCount => _starts.Count;
}
