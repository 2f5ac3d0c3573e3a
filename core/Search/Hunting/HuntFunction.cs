using MmFuzz.Kernel;
using MmFuzz.Scenarios;

namespace MmFuzz.Search;

/// <summary>
/// The contract every hunt keeps: a kernel state, the catalog scenarios to hunt in (null: generate
/// them, for a hunt that can), and the <see cref="HuntOptions"/> (budget, seed, ignored kinds, keep
/// going, baseline, and which <see cref="WorkerSlot"/> runs it) give one <see cref="HuntResult"/>.
/// <see cref="GenerationHunter.Hunt"/>, <see cref="Hunter.Random"/>, <see cref="Hunter.Pct"/>,
/// <see cref="Verifier.Hunt"/> and <see cref="PortfolioHunt.Hunt"/> are hunts;
/// <see cref="HuntStrategy"/> names them and <see cref="SharedHunt"/> shares one out among workers.
/// </summary>
public delegate HuntResult HuntFunction(Variant variant, IReadOnlyList<Scenario>? scenarios, HuntOptions options);
