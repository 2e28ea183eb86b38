namespace Lepton.Operator.Controllers.Informers;

/// <summary>What happened to a cached object.</summary>
public enum ResourceEventType
{
    /// <summary>The object entered the cache.</summary>
    Added,

    /// <summary>The object changed.</summary>
    Updated,

    /// <summary>The object left the cache.</summary>
    Deleted,
}
