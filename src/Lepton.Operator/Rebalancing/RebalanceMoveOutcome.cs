namespace Lepton.Operator.Rebalancing;

/// <summary>One planned move and what became of it.</summary>
/// <param name="Move">The move.</param>
/// <param name="Result">The outcome.</param>
/// <param name="Message">The server's answer or a short description.</param>
public sealed record RebalanceMoveOutcome(RebalanceMove Move, MoveResult Result, string Message);
