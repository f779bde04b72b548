namespace NhiGuard.Cli;

/// <summary>One line of progress on stderr, rewritten in place; only on a terminal, so logs and pipes stay clean.</summary>
internal sealed class ProgressLine : IDisposable
{
    private readonly object _lock = new();
    private int _width;

    private ProgressLine()
    {
    }

    /// <summary>A progress line when stderr is a terminal (and <c>TERM</c> is not <c>dumb</c>); otherwise null.</summary>
    public static ProgressLine? ForStandardError(bool enabled) =>
        enabled && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb" ? new ProgressLine() : null;

    public void Show(string text)
    {
        lock (_lock)
        {
            int max = Math.Max(20, SafeWidth() - 1);
            string line = text.Length > max ? text[..max] : text;
            Console.Error.Write("\r" + line.PadRight(_width));
            _width = line.Length;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            if (_width > 0)
            {
                Console.Error.Write("\r" + new string(' ', _width) + "\r");
                _width = 0;
            }
        }
    }

    public void Dispose() => Clear();

    private static int SafeWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }
}
