namespace MmFuzz.Scenarios;

/// <summary>A deferred split queue a folio can be on, or a scan can scan.</summary>
public enum QueueId : byte
{
    /// <summary>On no queue.</summary>
    None,
    /// <summary><c>NODE_DATA(0)-&gt;deferred_split_queue</c>.</summary>
    Node0,
    /// <summary>The first memcg's queue.</summary>
    Memcg1,
    /// <summary>The second memcg's queue.</summary>
    Memcg2,
}
