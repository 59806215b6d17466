using Microsoft.EntityFrameworkCore;

namespace PneumoniaPortal.Web.Data;

/// <summary>The SQLite design-time context (without it the tools would pick the PostgreSQL subclass for both).</summary>
public sealed class PortalDbContextDesignFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite("Data Source=portal-design.db").Options);
}
