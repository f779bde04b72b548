namespace NhiGuard.Scanner.Git;

/// <summary>
/// A blocking queue between the threads of a history scan, optionally bounded. Waiters sleep on
/// a monitor: no spinning, no thread-pool hops. (Channels read with <c>GetResult()</c> spin
/// before they block and complete through the thread pool; on two cores that took a third of the
/// CPU time that git needed.)
/// </summary>
internal sealed class WorkQueue<T> : IDisposable
{
    private readonly Queue<T> _items = new();
    private readonly int _capacity;
    private readonly CancellationToken _token;
    private readonly CancellationTokenRegistration _wake;
    private bool _completed;

    public WorkQueue(CancellationToken token, int capacity = int.MaxValue)
    {
        _capacity = capacity;
        _token = token;
        _wake = token.Register(() =>
        {
            lock (_items)
            {
                Monitor.PulseAll(_items);
            }
        });
    }

    /// <summary>Adds an item, waiting while the queue is full.</summary>
    /// <exception cref="OperationCanceledException">The scan was stopped.</exception>
    public void Add(T item)
    {
        lock (_items)
        {
            while (_items.Count >= _capacity)
            {
                _token.ThrowIfCancellationRequested();
                Monitor.Wait(_items);
            }

            _token.ThrowIfCancellationRequested();
            _items.Enqueue(item);
            Monitor.PulseAll(_items);
        }
    }

    /// <summary>The next item, waiting for one; false once the queue is complete and empty.</summary>
    public bool TryTake(out T item)
    {
        lock (_items)
        {
            while (_items.Count == 0)
            {
                if (_completed)
                {
                    item = default!;
                    return false;
                }

                _token.ThrowIfCancellationRequested();
                Monitor.Wait(_items);
            }

            item = _items.Dequeue();
            Monitor.PulseAll(_items);
            return true;
        }
    }

    /// <summary>Every item queued, waiting for at least one; false once the queue is complete and empty.</summary>
    public bool TryTakeAll(List<T> into)
    {
        lock (_items)
        {
            while (_items.Count == 0)
            {
                if (_completed)
                {
                    return false;
                }

                _token.ThrowIfCancellationRequested();
                Monitor.Wait(_items);
            }

            while (_items.TryDequeue(out T? item))
            {
                into.Add(item);
            }

            Monitor.PulseAll(_items);
            return true;
        }
    }

    /// <summary>No more items: takers drain what is queued, then stop.</summary>
    public void Complete()
    {
        lock (_items)
        {
            _completed = true;
            Monitor.PulseAll(_items);
        }
    }

    public void Dispose() => _wake.Dispose();
}
