using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace NhiGuard.Scanner.Git;

/// <summary>
/// One run of the <c>git</c> executable with its output read as a stream. Disposing it before it
/// has finished kills it, so a cancelled scan leaves no git behind.
/// </summary>
internal sealed class GitProcess : IDisposable
{
    private const int MaxErrorChars = 8192;

    private readonly Process _process;
    private readonly StringBuilder _error = new();
    private readonly Task _errorReader;
    private readonly string _description;

    private GitProcess(Process process, string description)
    {
        _process = process;
        _description = description;
        _errorReader = Task.Run(ReadErrorAsync);
    }

    /// <summary>Standard output, unbuffered bytes.</summary>
    public Stream Output => _process.StandardOutput.BaseStream;

    /// <summary>Standard input, when started with <c>input: true</c>.</summary>
    public Stream Input => _process.StandardInput.BaseStream;

    public static GitProcess Start(string directory, IEnumerable<string> args, bool input = false)
    {
        var psi = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input,
            UseShellExecute = false,
        };

        // Output that parsers can rely on: no pager, no prompts, no localised messages.
        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        psi.Environment["GIT_PAGER"] = "cat";
        psi.Environment["LC_ALL"] = "C";
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("core.quotepath=off");
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        string description = "git " + string.Join(' ', args.TakeWhile(a => a != "--").Take(3));
        try
        {
            return new GitProcess(Process.Start(psi)!, description);
        }
        catch (Win32Exception)
        {
            throw new ConfigurationException("git not found: history and staged scans need the git executable on PATH");
        }
    }

    /// <summary>Runs git to the end and returns its exit code and standard output as text.</summary>
    public static (int ExitCode, string Output, string Error) Run(string directory, IEnumerable<string> args, string? input = null)
    {
        using GitProcess git = Start(directory, args, input is not null);
        Task<string> output;
        using (var reader = new StreamReader(git.Output, new UTF8Encoding(false), false, 65536, leaveOpen: true))
        {
            output = reader.ReadToEndAsync();
            if (input is not null)
            {
                using (var writer = new StreamWriter(git.Input, new UTF8Encoding(false)))
                {
                    writer.Write(input);
                }
            }

            output.Wait();
        }

        int code = git.WaitForExit();
        return (code, output.Result, git.Error);
    }

    /// <summary>Runs git and returns its trimmed output; a failure becomes a one-line error.</summary>
    public static string RunOrThrow(string directory, params string[] args)
    {
        var (code, output, error) = Run(directory, args);
        if (code != 0)
        {
            throw new ConfigurationException(FirstLine(error, $"git {string.Join(' ', args)} failed (exit {code})"));
        }

        return output.TrimEnd('\n', '\r');
    }

    /// <summary>What git wrote on stderr so far.</summary>
    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public int WaitForExit()
    {
        _process.WaitForExit();
        _errorReader.Wait();
        return _process.ExitCode;
    }

    /// <summary>Waits for git to finish and turns a failure into a one-line error.</summary>
    public void WaitForSuccess()
    {
        int code = WaitForExit();
        if (code != 0)
        {
            throw new ConfigurationException(FirstLine(Error, $"{_description} failed (exit {code})"));
        }
    }

    /// <summary>Why git stopped early: the first line it wrote on stderr once it has exited, or the fallback.</summary>
    public ConfigurationException Failure(string fallback)
    {
        // Its output has ended, so it is exiting; a git that somehow lingers is not waited for long.
        if (_process.WaitForExit(5000))
        {
            _errorReader.Wait(5000);
        }

        return new ConfigurationException(FirstLine(Error, fallback));
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    // The line that says why: git's "fatal:" line names the object or file (the "error:" lines
    // before it are details, such as zlib's complaint); without one, its first line.
    internal static string FirstLine(string error, string fallback)
    {
        string[] lines = error.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        string line = lines.FirstOrDefault(l => l.StartsWith("fatal:", StringComparison.Ordinal)) ?? lines.FirstOrDefault() ?? "";
        return line.Length == 0 ? fallback : "git: " + line;
    }

    private async Task ReadErrorAsync()
    {
        var buffer = new char[4096];
        int n;
        while ((n = await _process.StandardError.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            lock (_error)
            {
                if (_error.Length < MaxErrorChars)
                {
                    _error.Append(buffer, 0, Math.Min(n, MaxErrorChars - _error.Length));
                }
            }
        }
    }
}
