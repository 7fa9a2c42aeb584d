"""The table detectors for languages other than Python (sql_strings, orm_entities, orm_writes) on small
realistic snippets per language, and on real corpus files when /work/shared/corpus exists."""

from __future__ import annotations

import importlib
import itertools
from pathlib import Path

import pytest

from fitness.collect.code.registry import DETECTOR_MODULES, Registry, registry
from fitness.collect.source_file import SourceFile, suffix_of
from fitness.model.facts import SourceFacts

CORPUS = Path("/work/shared/corpus")
MODULES = ("orm_entities", "orm_writes", "sql_strings")
Access = tuple[str, str, str, int]


def run(files: dict[str, str], modules: tuple[str, ...] = MODULES) -> SourceFacts:
    """The detectors on one component made of ``files`` (path -> text), in the given order."""
    detectors = tuple(
        importlib.import_module(f"fitness.collect.code.detectors.{m}").DETECTOR for m in modules
    )
    return Registry(detectors).run(SourceFile(p, t, suffix_of(p)) for p, t in files.items())


def tables(facts: SourceFacts) -> list[Access]:
    """(table, mode, file name, line), sorted."""
    return sorted(
        {(a.table, a.mode, a.evidence.path.rsplit("/", 1)[-1], a.evidence.line) for a in facts.tables}
    )


def unresolved(facts: SourceFacts) -> list[tuple[int, str]]:
    return sorted((u.evidence.line, u.reason) for u in facts.unresolved)


def test_registered() -> None:
    assert set(MODULES) <= set(DETECTOR_MODULES)
    assert {"orm-entities", "orm-writes", "sql-strings"} <= {d.name for d in registry().detectors}


# -- SQL strings -----------------------------------------------------------------------------------

GO = """\
package main

// SELECT * FROM commented_out
func loadProducts(ctx context.Context) error {
	rows, err := db.QueryContext(ctx, `
		SELECT p.id, p.name
		FROM catalog.products p
		JOIN catalog.categories c ON c.id = p.category_id
		ORDER BY p.id
	`)
	_, err = db.ExecContext(ctx, "INSERT INTO orders (id, total) VALUES ($1, $2)", id, total)
	_, err = db.Exec(fmt.Sprintf("DELETE FROM %s WHERE id = ?", table), id)
	log.Printf("select from users failed: %v", err)
	return err
}
"""


def test_go_raw_and_interpreted_strings() -> None:
    facts = run({"svc/main.go": GO})
    assert tables(facts) == [
        ("catalog.categories", "read", "main.go", 8),
        ("catalog.products", "read", "main.go", 7),
        ("orders", "write", "main.go", 11),
    ]
    assert unresolved(facts) == [(12, "table name built at run time (%s)")]


JDBC = '''\
package shop.orders;

@Repository
public class OrderDao {
    private static final String ITEMS = "order_items";

    private static final String FIND = """
        SELECT o.id, o.total
          FROM shop.orders o
         WHERE o.customer_id = :customerId
        """;

    public void add(Order order) {
        jdbcTemplate.update("INSERT INTO shop.orders (id, total) "
            + "VALUES (?, ?)", order.getId(), order.getTotal());
        jdbcTemplate.update("DELETE FROM " + ITEMS + " WHERE order_id = ?", order.getId());
        jdbcTemplate.query("SELECT * FROM " + tableName + " WHERE x = ?", mapper);
    }
}
'''


def test_java_text_blocks_and_concatenation() -> None:
    facts = run({"orders/OrderDao.java": JDBC})
    assert tables(facts) == [
        ("order_items", "write", "OrderDao.java", 16),
        ("shop.orders", "read", "OrderDao.java", 9),
        ("shop.orders", "write", "OrderDao.java", 14),
    ]
    assert unresolved(facts) == [(17, "table name built at run time (tableName)")]


REPOSITORY = """\
package bank.ledger;

public interface TransactionRepository extends CrudRepository<Transaction, Long> {

    @Query(value = "SELECT SUM(amount) FROM ledger.transactions t "
        + "WHERE t.to_acct = ?1", nativeQuery = true)
    Long findBalance(String account);

    @Query("SELECT t FROM Transaction t "
        + "LEFT JOIN FETCH t.lines "
        + "WHERE t.id > ?1 ORDER BY t.id")
    List<Transaction> findLatest(long id);

    @Modifying
    @Query("UPDATE Transaction t SET t.state = :state WHERE t.id = :id")
    void setState(long id, String state);

    @Query("SELECT a FROM Audit a")
    List<Audit> audits();

    @Query(nativeQuery = true, value = "SELECT count(*) FROM ledger.audit")
    long audited();
}
"""
ENTITY = """\
package bank.ledger;

import jakarta.persistence.*;

@Entity
@Table(name = "TRANSACTIONS", schema = "ledger")
public final class Transaction {
    @Id
    private long id;
}
"""


@pytest.mark.parametrize("order", list(itertools.permutations(["repo", "entity"])))
def test_jpql_names_entities_of_the_component(order: tuple[str, ...]) -> None:
    sources = {
        "repo": ("ledger/TransactionRepository.java", REPOSITORY),
        "entity": ("ledger/Transaction.java", ENTITY),
    }
    facts = run(dict(sources[name] for name in order))
    assert tables(facts) == [
        ("ledger.audit", "read", "TransactionRepository.java", 21),  # native: nativeQuery before value
        ("ledger.transactions", "read", "Transaction.java", 6),  # the mapping itself
        ("ledger.transactions", "read", "TransactionRepository.java", 5),  # native SQL
        ("ledger.transactions", "read", "TransactionRepository.java", 9),  # JPQL, entity Transaction
        ("ledger.transactions", "write", "TransactionRepository.java", 15),  # JPQL UPDATE
    ]  # Audit is no entity of the component: dropped; ``t.lines`` is a path, not an entity
    assert facts.unresolved == []


def test_jpql_without_the_entity_gives_nothing() -> None:
    facts = run({"ledger/TransactionRepository.java": REPOSITORY})
    assert tables(facts) == [
        ("ledger.audit", "read", "TransactionRepository.java", 21),
        ("ledger.transactions", "read", "TransactionRepository.java", 5),
    ]


HIBERNATE = """\
package tea.persistence;

public class DataGenerator {
    void reset(EntityManager em) {
        em.createQuery("DELETE FROM PersistenceOrderItem oi WHERE oi.order = :order").executeUpdate();
        List<Marker> found = em.createQuery("SELECT u FROM "
            + Marker.class.getName() + " u", Marker.class).getResultList();
        em.createQuery("SELECT u FROM " + getEntityClass().getName() + " u").getResultList();
        em.createNativeQuery("SELECT count(*) FROM audit_log").getSingleResult();
    }
}
"""
HIBERNATE_ENTITIES = """\
package tea.persistence;
import javax.persistence.*;
@Entity
public class PersistenceOrderItem {
}

@Entity(name = "Marker")
@Table(indexes = @Index(columnList = "flag"))
class DatabaseMarker {
}
"""


def test_create_query_is_jpql_and_class_names_fold() -> None:
    facts = run({"p/DataGenerator.java": HIBERNATE, "p/Entities.java": HIBERNATE_ENTITIES})
    assert tables(facts) == [
        ("audit_log", "read", "DataGenerator.java", 9),
        ("marker", "read", "DataGenerator.java", 7),
        ("marker", "read", "Entities.java", 7),
        ("persistenceorderitem", "read", "Entities.java", 3),  # no Spring Boot: the JPA default name
        ("persistenceorderitem", "write", "DataGenerator.java", 5),
    ]
    assert unresolved(facts) == [(8, "entity name built at run time (getEntityClass().getName())")]


KOTLIN = '''\
package shop

class OrderStore(private val jdbc: NamedParameterJdbcTemplate) {
    fun save(order: Order) {
        jdbc.update("""
            INSERT INTO orders (id, status)
            VALUES (:id, :status)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status
        """.trimIndent(), params)
        jdbc.query("SELECT * FROM ${tableFor(order)} WHERE id = :id", params, mapper)
        log.info("Select $order from cache")
    }
}
'''


def test_kotlin_raw_strings_and_templates() -> None:
    facts = run({"shop/OrderStore.kt": KOTLIN})
    assert tables(facts) == [("orders", "write", "OrderStore.kt", 6)]
    assert unresolved(facts) == [(10, "table name built at run time (${tableFor(order)})")]


CSHARP = '''\
namespace Cart;

public class CartStore
{
    public async Task<IEnumerable<Item>> Items(string id)
    {
        var sql = @"SELECT i.""Id"", i.Quantity
                    FROM dbo.CartItems i
                    WHERE i.CartId = @id";
        await connection.QueryAsync<Item>(sql, new { id });
        await connection.ExecuteAsync("UPDATE dbo.Carts SET Touched = GETDATE() WHERE Id = @id", new { id });
        await connection.ExecuteAsync($"DELETE FROM {table} WHERE Id = @id", new { id });
        var raw = """
            MERGE INTO dbo.Totals AS t
            USING dbo.CartItems AS s ON t.CartId = s.CartId
            WHEN MATCHED THEN UPDATE SET t.Total = s.Quantity;
            """;
    }
}
'''


def test_csharp_verbatim_raw_and_interpolated() -> None:
    facts = run({"Cart/CartStore.cs": CSHARP})
    assert tables(facts) == [
        ("dbo.cartitems", "read", "CartStore.cs", 8),
        ("dbo.cartitems", "read", "CartStore.cs", 15),
        ("dbo.carts", "write", "CartStore.cs", 11),
        ("dbo.totals", "write", "CartStore.cs", 14),
    ]
    assert unresolved(facts) == [(12, "table name built at run time ({table})")]


NODE = """\
const { Pool } = require('pg');

async function history(userId, limit) {
  const { rows } = await pool.query(
    `SELECT h.id, h.amount
       FROM payments.history h
      WHERE h.user_id = $1
      LIMIT ${limit}`,
    [userId],
  );
  await pool.query('insert into audit (user_id) values ($1)', [userId]);
  await knex.raw("SELECT 1");
  const label = "Select a card from the list";
  const help = 'update your profile from settings';
  return rows;
}
"""


def test_js_template_literals_and_query_strings() -> None:
    facts = run({"payments/history.js": NODE})
    assert tables(facts) == [
        ("audit", "write", "history.js", 11),
        ("payments.history", "read", "history.js", 6),
    ]
    assert facts.unresolved == []


RUST = """\
pub async fn load(pool: &PgPool, id: i64) -> Result<Quote> {
    let quote = sqlx::query_as!(Quote, r#"SELECT id, "amount" FROM quotes WHERE id = $1"#, id)
        .fetch_one(pool)
        .await?;
    sqlx::query!("UPDATE quotes SET seen = true WHERE id = $1", id).execute(pool).await?;
    let r: &'static str = "not sql";
    Ok(quote)
}
"""


def test_rust_sqlx_macros() -> None:
    facts = run({"quote/src/db.rs": RUST})
    assert tables(facts) == [("quotes", "read", "db.rs", 2), ("quotes", "write", "db.rs", 5)]


RUBY = """\
class EmailLog
  def self.recent(limit)
    sql = <<~SQL
      SELECT id, address
      FROM email_log
      WHERE sent_at > NOW() - INTERVAL '1 day'
    SQL
    connection.exec_query(sql)
  end
end
"""
PHP = """<?php
function quote($db, $id) {
    $stmt = $db->prepare('SELECT price FROM quotes WHERE id = :id');
    $db->exec("UPDATE {$table} SET price = 1");
}
"""


def test_ruby_heredoc_and_php_strings() -> None:
    assert tables(run({"email/log.rb": RUBY})) == [("email_log", "read", "log.rb", 5)]
    facts = run({"quote/quote.php": PHP})
    assert tables(facts) == [("quotes", "read", "quote.php", 3)]
    assert unresolved(facts) == [(4, "table name built at run time ({$table})")]


def test_sql_that_does_not_parse_is_unresolved() -> None:
    text = 'package x\n\nvar q = "SELECT id FROM orders WHERE (id = 1"\n'
    facts = run({"x/q.go": text})
    assert facts.tables == []
    assert [(u.kind, u.evidence.line) for u in facts.unresolved] == [("sql", 3)]
    assert facts.unresolved[0].reason.startswith("SQL string not parsed")


# -- ORM mappings ----------------------------------------------------------------------------------

JPA = """\
package shop.orders;

import jakarta.persistence.*;

@Entity
@Table(name = "purchase_orders", schema = "shop")
public class PurchaseOrder {
    @OneToMany
    @JoinTable(name = "order_links")
    private List<OrderLine> lines;
}

@Entity
public class OrderLine {
}

@Embeddable
public class Money {
}
"""
KOTLIN_ENTITY = """\
package shop.orders
import jakarta.persistence.*
@Entity
@Table(name = TABLE)
data class Shipment(@Id val id: Long)

const val TABLE = "shipments"

@Entity
@Table(name = Tables.PARCELS)
class Parcel(@Id val id: Long)
"""


SPRING_APP = """\
package shop;

@SpringBootApplication
public class ShopApplication {}
"""


def test_jpa_entities() -> None:
    facts = run({"o/Order.java": JPA, "o/Shipment.kt": KOTLIN_ENTITY, "o/ShopApplication.java": SPRING_APP})
    assert tables(facts) == [
        ("order_line", "read", "Order.java", 13),  # Spring Boot's default naming: snake case
        ("shipments", "read", "Shipment.kt", 4),
        ("shop.purchase_orders", "read", "Order.java", 6),
    ]
    assert unresolved(facts) == [(10, "@Table name `Tables.PARCELS` is not a constant of this file")]


def test_jpa_default_names_follow_the_naming_strategy() -> None:
    assert ("orderline", "read", "Order.java", 13) in tables(run({"o/Order.java": JPA}))
    standard = "spring.jpa.hibernate.naming.physical-strategy=org.hibernate.boot.model.naming.PhysicalNamingStrategyStandardImpl\n"
    files = {
        "o/Order.java": JPA,
        "o/ShopApplication.java": SPRING_APP,
        "res/application.properties": standard,
    }
    assert ("orderline", "read", "Order.java", 13) in tables(run(files))


EF_ENTITIES = """\
using System.ComponentModel.DataAnnotations.Schema;

namespace Accounting;

[Table("order", Schema = "accounting")]
[PrimaryKey(nameof(Id))]
internal class OrderEntity
{
    public required string Id { get; set; }
}

[PrimaryKey(nameof(Id)), Table("shipping", Schema = "accounting")]
internal class ShippingEntity { }
"""
EF_CONTEXT = """\
namespace Accounting;

internal class DBContext : DbContext
{
    public DbSet<OrderEntity> Orders { get; set; }
    public DbSet<ShippingEntity> Shipping { get; set; }
    public DbSet<CartItem> CartItems { get; set; }
    public DbSet<Refund> Refunds => Set<Refund>();

    protected override void OnConfiguring(DbContextOptionsBuilder b) =>
        b.UseNpgsql(connectionString).UseSnakeCaseNamingConvention();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema("billing");
        modelBuilder.Entity<Refund>().ToTable("refunds", "payments").HasKey(r => r.Id);
        modelBuilder.Entity<Invoice>(entity =>
        {
            entity.ToTable(name: "invoices");
            entity.HasKey(e => e.Id);
        });
    }
}

public class LedgerConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> builder) => builder.ToTable("ledger");
}
"""


@pytest.mark.parametrize("order", list(itertools.permutations(["entities", "context"])))
def test_ef_core_mappings(order: tuple[str, ...]) -> None:
    sources = {"entities": ("acc/Entities.cs", EF_ENTITIES), "context": ("acc/Context.cs", EF_CONTEXT)}
    facts = run(dict(sources[name] for name in order))
    assert tables(facts) == [
        ("accounting.order", "read", "Entities.cs", 5),  # explicit mapping wins over DbSet "Orders"
        ("accounting.shipping", "read", "Entities.cs", 12),
        ("billing.cart_items", "read", "Context.cs", 7),  # DbSet convention, snake case, default schema
        ("billing.invoices", "read", "Context.cs", 19),
        ("billing.ledger", "read", "Context.cs", 27),
        ("payments.refunds", "read", "Context.cs", 16),
    ]


GORM = """\
package model

type Order struct {
	ID    uint
	Total int64
}

func (Order) TableName() string { return "shop.orders" }

func (o *LineItem) TableName() string {
	return "line_items"
}
"""
SEQUELIZE = """\
const { Sequelize, DataTypes, Model } = require('sequelize');

const Category = sequelize.define('category', { name: DataTypes.STRING });
const Order = sequelize.define('Order', { total: DataTypes.INTEGER }, { tableName: 'orders', schema: 'shop' });

class Review extends Model {}
Review.init({ stars: DataTypes.INTEGER }, { sequelize, modelName: 'review', freezeTableName: true });
"""
TYPEORM = """\
import { Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('users')
export class User {}

@Entity({ name: 'sessions', schema: 'auth' })
export class Session {}

@Entity()
export class PasswordReset {}
"""
PRISMA = """\
model User {
  id    Int    @id
  posts Post[]
  @@map("app_users")
  @@schema("auth")
}

model Post {
  id Int @id
}
"""
ACTIVE_RECORD = """\
class LegacyOrder < ApplicationRecord
  self.table_name = "legacy.orders"
end
"""


def test_other_orm_mappings() -> None:
    assert tables(run({"m/order.go": GORM})) == [
        ("line_items", "read", "order.go", 10),
        ("shop.orders", "read", "order.go", 8),
    ]
    assert tables(run({"m/models.js": SEQUELIZE})) == [
        ("categories", "read", "models.js", 3),
        ("review", "read", "models.js", 7),
        ("shop.orders", "read", "models.js", 4),
    ]
    assert tables(run({"m/entities.ts": TYPEORM})) == [
        ("auth.sessions", "read", "entities.ts", 6),
        ("password_reset", "read", "entities.ts", 9),
        ("users", "read", "entities.ts", 3),
    ]
    assert tables(run({"prisma/schema.prisma": PRISMA})) == [
        ("auth.app_users", "read", "schema.prisma", 1),
        ("post", "read", "schema.prisma", 8),
    ]
    assert tables(run({"app/models/legacy_order.rb": ACTIVE_RECORD})) == [
        ("legacy.orders", "read", "legacy_order.rb", 2)
    ]


# -- ORM writes ------------------------------------------------------------------------------------

SPRING_REPOSITORY = """\
package bank.ledger;

@Repository
public interface TransactionRepository extends CrudRepository<Transaction, Long> {
}
"""
CONTROLLER = """\
package bank.ledger;

@RestController
public final class LedgerWriterController {
    private final TransactionRepository transactionRepository;
    private final List<Transaction> pending = new ArrayList<>();

    public ResponseEntity<?> addTransaction(@RequestBody Transaction transaction) {
        pending.remove(transaction);
        transactionRepository.save(transaction);
        return new ResponseEntity<>(HttpStatus.CREATED);
    }
}
"""


@pytest.mark.parametrize("order", list(itertools.permutations(["repo", "entity", "controller"])))
def test_spring_data_save_writes_the_repository_entity(order: tuple[str, ...]) -> None:
    sources = {
        "repo": ("l/TransactionRepository.java", SPRING_REPOSITORY),
        "entity": ("l/Transaction.java", ENTITY),
        "controller": ("l/LedgerWriterController.java", CONTROLLER),
    }
    facts = run(dict(sources[name] for name in order))
    assert tables(facts) == [
        ("ledger.transactions", "read", "Transaction.java", 6),
        ("ledger.transactions", "write", "LedgerWriterController.java", 10),
    ]


JPA_WRITES = """\
package tea;

public class UserRepository {
    public long create(User entity, EntityManager em) {
        PersistenceUser user = new PersistenceUser();
        em.persist(user);
        em.merge(new PersistenceOrder());
        getEM().remove(entity);
        cache.remove(user);
        return user.getId();
    }
}
"""
TEA_ENTITIES = """\
import javax.persistence.Entity; import javax.persistence.Table;
@Entity
public class PersistenceUser {}

@Entity
@Table(name = "orders")
public class PersistenceOrder {}
"""


def test_jpa_entity_manager_writes() -> None:
    facts = run({"t/UserRepository.java": JPA_WRITES, "t/Entities.java": TEA_ENTITIES})
    assert tables(facts) == [
        ("orders", "read", "Entities.java", 6),
        ("orders", "write", "UserRepository.java", 7),
        ("persistenceuser", "read", "Entities.java", 2),
        ("persistenceuser", "write", "UserRepository.java", 6),
    ]


EF_WRITES = """\
internal class Consumer : BackgroundService
{
    private void ProcessMessage(OrderResult order)
    {
        using var dbContext = new DBContext();
        var orderEntity = new OrderEntity { Id = order.OrderId };
        dbContext.Add(orderEntity);
        dbContext.Shipping.Add(new ShippingEntity());
        _db.Set<OrderEntity>().Remove(orderEntity);
        items.Add(orderEntity);
        dbContext.SaveChanges();
    }
}
"""


def test_ef_core_writes() -> None:
    facts = run({"acc/Entities.cs": EF_ENTITIES, "acc/Context.cs": EF_CONTEXT, "acc/Consumer.cs": EF_WRITES})
    writes = [a for a in tables(facts) if a[1] == "write"]
    assert writes == [
        ("accounting.order", "write", "Consumer.cs", 7),
        ("accounting.order", "write", "Consumer.cs", 9),
        ("accounting.shipping", "write", "Consumer.cs", 8),
    ]


GORM_WRITES = """\
package store

import "gorm.io/gorm"

func Save(db *gorm.DB, total int64) {
	db.Create(&Order{Total: total})
	line := LineItem{}
	db.Save(&line)
	db.Model(&Order{}).Where("id = ?", 1).Update("total", total)
	db.Create(&Audit{})
}
"""


def test_other_orm_writes() -> None:
    facts = run({"m/order.go": GORM, "m/store.go": GORM_WRITES})
    assert [a for a in tables(facts) if a[1] == "write"] == [
        ("line_items", "write", "store.go", 8),
        ("shop.orders", "write", "store.go", 6),
        ("shop.orders", "write", "store.go", 9),
    ]
    js = """\
import { Repository } from 'typeorm';

export class UserService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>, private prisma: PrismaClient) {}

  async add(dto) {
    await this.users.save(dto);
    await Order.create({ total: 1 });
    await this.prisma.post.create({ data: dto });
    await getRepository(Session).delete({ id: 1 });
  }
}
"""
    facts = run({"m/entities.ts": TYPEORM, "m/models.js": SEQUELIZE, "m/svc.ts": js})
    assert [a for a in tables(facts) if a[1] == "write"] == [
        ("auth.sessions", "write", "svc.ts", 10),
        ("shop.orders", "write", "svc.ts", 8),
        ("users", "write", "svc.ts", 7),
    ]
    facts = run({"p/schema.prisma": PRISMA, "m/svc.ts": js})
    assert [a for a in tables(facts) if a[1] == "write"] == [
        ("auth.app_users", "write", "svc.ts", 7),  # Repository<User>: the Prisma model User here
        ("post", "write", "svc.ts", 9),
    ]
    ruby = "class OrdersJob\n  def perform\n    LegacyOrder.create(total: 1)\n    Other.create(x: 1)\n  end\nend\n"
    facts = run({"app/models/legacy_order.rb": ACTIVE_RECORD, "app/jobs/orders_job.rb": ruby})
    assert [a for a in tables(facts) if a[1] == "write"] == [("legacy.orders", "write", "orders_job.rb", 3)]


# -- corpus ----------------------------------------------------------------------------------------


def _component(folder: Path) -> SourceFacts:
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and suffix_of(path.name) in {".go", ".java", ".kt", ".cs", ".js", ".ts"}:
            files[path.relative_to(CORPUS).as_posix()] = path.read_text(encoding="utf-8", errors="replace")
    return run(files)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not available")
def test_corpus_tables() -> None:
    demo = CORPUS / "opentelemetry-demo/src"
    assert {(t, m, f) for t, m, f, _ in tables(_component(demo / "product-catalog"))} == {
        ("catalog.products", "read", "main.go")
    }
    assert ("catalog.products", "read", "main.go", 211) in tables(_component(demo / "product-catalog"))
    assert tables(_component(demo / "accounting")) == [
        ("accounting.order", "read", "Entities.cs", 52),
        ("accounting.order", "write", "Consumer.cs", 100),
        ("accounting.orderitem", "read", "Entities.cs", 35),
        ("accounting.orderitem", "write", "Consumer.cs", 113),
        ("accounting.shipping", "read", "Entities.cs", 9),
        ("accounting.shipping", "write", "Consumer.cs", 129),
    ]
    ledger = CORPUS / "bank-of-anthos/src/ledger"
    assert tables(_component(ledger / "ledgerwriter")) == [
        ("transactions", "read", "Transaction.java", 39),
        ("transactions", "write", "LedgerWriterController.java", 171),
    ]
    for reader in ("balancereader", "transactionhistory"):
        found = tables(_component(ledger / reader))
        assert {(t, m) for t, m, _, _ in found} == {("transactions", "read")}
        assert any(f == "TransactionRepository.java" for _, _, f, _ in found)
