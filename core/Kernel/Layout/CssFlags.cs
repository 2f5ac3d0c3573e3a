namespace MmFuzz.Kernel;

/// <summary>Bits of <c>css-&gt;flags</c> (include/linux/cgroup-defs.h) used here.</summary>
public static class CssFlags
{
    /// <summary><c>CSS_ONLINE</c>: set by <c>online_css()</c>, cleared by <c>offline_css()</c> after <c>-&gt;css_offline()</c> (nothing here reads it).</summary>
    public const uint CSS_ONLINE = 1 << 1;

    /// <summary>
    /// <c>CSS_DYING</c>: set by <c>kill_css()</c> (33c35aa48178), before the RCU-delayed
    /// <c>offline_css()</c>; <c>css_is_dying()</c> tests it since a22b3d54de94 (v6.15).
    /// </summary>
    public const uint CSS_DYING = 1 << 4;
}
