using System.Text;
using NhiGuard.Scanner.Git;
using NhiGuard.Scanner.Rules;
using NhiGuard.TestSupport;

namespace NhiGuard.Scanner.Tests.Git;

public sealed class AddedLinesTests
{
    private static int[] Added(string text, params string[] parents)
    {
        AddedLines added = AddedLines.Compute(Encoding.UTF8.GetBytes(text), parents.Select(Encoding.UTF8.GetBytes).ToList());
        return Enumerable.Range(1, added.LineCount).Where(l => added.AnyAdded(l, l)).ToArray();
    }

    [Fact]
    public void OnlyLinesNoParentHadAreAdded()
    {
        Assert.Equal([1, 2], Added("a\nb\n"));
        Assert.Equal([2], Added("a\nnew\nb\n", "a\nb\n"));
        Assert.Empty(Added("b\na\n", "a\nb\n")); // moved, not added
        Assert.Empty(Added("a\r\nb\r\n", "a\nb\n")); // line endings changed
        Assert.Equal([3], Added("}\n}\n}\n", "}\n}\n")); // one more copy than before: the last one
    }

    [Fact]
    public void AMergeAddsOnlyWhatEveryParentLacks()
    {
        Assert.Equal([4], Added("base\nours\ntheirs\nresolution\n", "base\nours\n", "base\ntheirs\n"));
    }

    [Fact]
    public void TheSharedStartAndEndAreCutAtWholeLinesInBothVersions()
    {
        Assert.Empty(Added("a\nb\n", "a\nb\n"));
        Assert.Equal([1], Added("ab\nc\n", "b\nc\n")); // the shared end "b\nc\n" starts mid-line in the new version
        Assert.Equal([1], Added("x\nc\n", "ab\nc\n"));
        Assert.Equal([2], Added("x\nyz", "x\ny\n")); // no final newline
        Assert.Equal([2], Added("x\ny", "x\nyz\n"));
        Assert.Empty(Added("x\ny", "x\ny\n")); // a final newline added changes no line
        Assert.Empty(Added("x\n", "x\ny\n")); // deleted lines add nothing
        Assert.Equal([2, 3], Added("a\nb\nb\na\n", "a\na\n"));
        Assert.Equal([1, 2], Added("q\nr\n", ""));
        Assert.Empty(Added("", "q\n"));
    }

    [Fact]
    public void HowManyLinesAreAddedIsWhatTheNewVersionHasMoreOfThanItsParent()
    {
        // Random edits over lines drawn from a small set (so that lines repeat): the number of
        // added lines is always the multiset difference, however the ends are cut.
        var random = new Random(7);
        string[] pool = ["{", "}", "x = 1;", "return y;", "", "  // note", "token = abc", "\tfoo();"];
        for (int round = 0; round < 500; round++)
        {
            List<string> before = Enumerable.Range(0, random.Next(0, 40)).Select(_ => pool[random.Next(pool.Length)]).ToList();
            List<string> after = [.. before];
            for (int edit = random.Next(1, 5); edit > 0; edit--)
            {
                int at = random.Next(after.Count + 1);
                switch (random.Next(4))
                {
                    case 0: after.Insert(at, pool[random.Next(pool.Length)]); break;
                    case 1 when after.Count > 0: after.RemoveAt(Math.Min(at, after.Count - 1)); break;
                    case 2 when after.Count > 0: after[Math.Min(at, after.Count - 1)] = pool[random.Next(pool.Length)]; break;
                    default: after.Insert(at, $"new {round} {edit}"); break;
                }
            }

            string crlf = random.Next(10) == 0 ? "\r\n" : "\n";
            string text = string.Concat(after.Select(l => l + crlf)), parent = string.Concat(before.Select(l => l + "\n"));
            int expected = after.GroupBy(l => l).Sum(g => Math.Max(0, g.Count() - before.Count(b => b == g.Key)));
            Assert.True(expected == Added(text, parent).Length, $"round {round}: {text.ReplaceLineEndings("|")} from {parent.ReplaceLineEndings("|")}");
        }
    }

    [Fact]
    public void InLargeFilesScatteredEditsAndMovesAddWhatTheMultisetDifferenceSays()
    {
        // Files of a few thousand lines (large enough to be split at anchor lines), mostly
        // distinct lines with some repeated ones, edited in scattered places: lines inserted,
        // deleted, replaced, duplicated, and moved from one end of the file to the other (a moved
        // line is no addition even when the split put its old and new places in different parts).
        var random = new Random(11);
        string[] common = ["{", "}", "        return null;", "    // ---------------------------------", ""];
        for (int round = 0; round < 60; round++)
        {
            List<string> before = Enumerable.Range(0, random.Next(500, 4000))
                .Select(i => random.Next(6) == 0 ? common[random.Next(common.Length)] : $"    var value{i} = Compute(\"{round}-{i}\", {random.Next(1000)});")
                .ToList();
            List<string> after = [.. before];
            var inserted = new List<string>();
            for (int edit = random.Next(1, 12); edit > 0; edit--)
            {
                int at = random.Next(after.Count);
                switch (random.Next(5))
                {
                    case 0:
                        string line = $"    var token = \"{round}-{edit}-{random.Next()}\";";
                        after.Insert(at, line);
                        inserted.Add(line);
                        break;
                    case 1:
                        after.RemoveAt(at);
                        break;
                    case 2:
                        after[at] = common[random.Next(common.Length)];
                        break;
                    case 3:
                        after.Insert(random.Next(after.Count), after[at]); // duplicated
                        break;
                    default:
                        string moved = after[at];
                        after.RemoveAt(at);
                        after.Insert(at < after.Count / 2 ? after.Count - random.Next(1, 20) : random.Next(20), moved);
                        break;
                }
            }

            string text = string.Concat(after.Select(l => l + "\n")), parent = string.Concat(before.Select(l => l + "\n"));
            var counts = before.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
            var expected = after.GroupBy(l => l).SelectMany(g => Enumerable.Repeat(g.Key, Math.Max(0, g.Count() - counts.GetValueOrDefault(g.Key)))).Order(StringComparer.Ordinal).ToList();
            string[] lines = text.Split('\n');
            var actual = Added(text, parent).Select(n => lines[n - 1]).Order(StringComparer.Ordinal).ToList();
            Assert.True(expected.SequenceEqual(actual), $"round {round}: expected [{string.Join(" | ", expected)}], got [{string.Join(" | ", actual)}]");
            Assert.All(inserted.Where(l => after.Contains(l)), l => Assert.Contains(l, actual));
        }
    }

    [Fact]
    public void ASecretInsertedIntoAnExistingFileIsReportedAtItsLineAndAllowsAboveItAreHonoured()
    {
        using var repo = new GitRepository();
        string body = string.Concat(Enumerable.Range(1, 10).Select(i => $"line {i}\n"));
        repo.Write("app.txt", body);
        repo.Write("allowed.txt", body);
        repo.Commit("init");
        string token = new ExampleTemplate(30).Expand("{{github:ghp}}");
        repo.Write("app.txt", body.Replace("line 6\n", $"line 6\ntoken = {token}\n"));
        repo.Write("allowed.txt", body.Replace("line 6\n", $"line 6 # nhiguard:allow-next-line\ntoken = {token}\n"));
        string added = repo.Commit("add");

        ReportedFinding f = Assert.Single(new HistoryScanner(ScanConfig.Default, new HistoryOptions()).Scan(repo.Path).Findings);
        Assert.Equal(("app.txt", 7, 9, added), (f.Finding.Path, f.Finding.Line, f.Finding.Column, f.Commit));
    }
}
