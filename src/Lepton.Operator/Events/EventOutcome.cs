namespace Lepton.Operator.Events;

/// <summary>What one <see cref="EventRecorder.RecordAsync"/> call did.</summary>
public enum EventOutcome
{
    /// <summary>A new event was created.</summary>
    Created,

    /// <summary>A repeat: the earlier event's series was updated.</summary>
    SeriesUpdated,

    /// <summary>A repeat counted locally only (the first event's create has not answered yet, or failed).</summary>
    Counted,

    /// <summary>The object's token bucket was empty: nothing was written.</summary>
    RateLimited,

    /// <summary>The API server refused or could not be reached (logged by the writer).</summary>
    Failed,
}
