namespace Lepton.Operator.Gangs;

/// <summary>How waiting gangs of one priority are ordered for admission (<c>Lepton:Operator:QueueOrder</c>, <c>lepton serve --queue-order</c>).</summary>
public enum GangQueueOrder
{
    /// <summary>By creation time (the default).</summary>
    Fifo,

    /// <summary>
    /// Shortest <c>status.predictedDuration</c> first (the prediction, or the declared duration where the rules allow),
    /// with the starvation guard (<see cref="OperatorOptions.StarvationBound"/>, <see cref="OperatorOptions.StarvationMultiple"/>);
    /// a job without a prediction goes after those with one and is promoted by the bound alone.
    /// </summary>
    SjfPredicted,
}
