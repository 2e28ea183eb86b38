namespace Lepton.Models.Features;

/// <summary>What building a pair row learned besides the features: FGD's own verdict.</summary>
/// <param name="FgdScore">FGD's integer score 0..100 for the pair (the heuristic fallback).</param>
/// <param name="ShareCard">The card FGD gives a fractional share (-1 for other pods or no fit).</param>
public readonly record struct PairInfo(int FgdScore, int ShareCard);
