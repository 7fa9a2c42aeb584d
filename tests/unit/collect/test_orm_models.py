"""ORM model classes and their uses, read from real files with ``ast``: never imported."""

from __future__ import annotations

from pathlib import Path

from fitness.collect.sql.tables import SqlScan, scan_tables
from fitness.model import Evidence
from fitness.model.facts import ModelClass
from tests.conftest import WriteTree


def scan(root: Path) -> SqlScan:
    return scan_tables(sorted(p for p in root.rglob("*") if p.is_file()), root)


def models(result: SqlScan) -> list[tuple[str, str, int]]:
    return [(m.qualname, m.table, m.evidence.line) for m in result.models]


def uses(result: SqlScan) -> list[tuple[str, str, int]]:
    return [(u.qualname, u.mode, u.evidence.line) for u in result.uses]


SQLALCHEMY = (
    "import sqlalchemy as sa\n"  # 1
    "from sqlalchemy import Column, Integer, MetaData, Table\n"  # 2
    "from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column\n"  # 3
    "class Base(DeclarativeBase):\n"  # 4
    "    pass\n"  # 5
    "metadata = MetaData()\n"  # 6
    'audit = Table("Audit_Log", metadata, Column("id", Integer), schema="ops")\n'  # 7
    'legacy = sa.Table("legacy", metadata, Column("id", Integer))\n'  # 8
    "class Invoice(Base):\n"  # 9
    '    __tablename__ = "invoices"\n'  # 10
    '    __table_args__ = {"schema": "billing"}\n'  # 11
    "    id: Mapped[int] = mapped_column(primary_key=True)\n"  # 12
    "class CreditNote(Invoice):\n"  # 13  single-table inheritance
    "    reason = Column(Integer)\n"  # 14
    "class Payment(Base):\n"  # 15
    '    __table__ = Table("payments", Base.metadata, Column("id", Integer))\n'  # 16
    "class Stamped(Base):\n"  # 17
    "    __abstract__ = True\n"  # 18
    "    created = Column(Integer)\n"  # 19
    "class Refund(Stamped):\n"  # 20
    '    __tablename__ = "refunds"\n'  # 21
    "class AutoNamed:\n"  # 22
    "    @declared_attr\n"  # 23
    "    def __tablename__(cls):\n"  # 24
    "        return cls.__name__.lower()\n"  # 25
    "class Ledger(AutoNamed, Base):\n"  # 26
    "    id = Column(Integer, primary_key=True)\n"  # 27
    "class Computed:\n"  # 28
    "    @declared_attr\n"  # 29
    "    def __tablename__(cls):\n"  # 30
    "        return naming_policy(cls)\n"  # 31
    "class Mystery(Computed, Base):\n"  # 32
    "    id = Column(Integer, primary_key=True)\n"  # 33
    "class NotAModel:\n"  # 34
    '    name = "x"\n'  # 35
)


def test_sqlalchemy_declarative_models_and_tables(write_tree: WriteTree) -> None:
    root = write_tree(
        {"shop/__init__.py": "", "shop/billing/__init__.py": "", "shop/billing/models.py": SQLALCHEMY}
    )
    result = scan(root)
    module = "shop.billing.models"
    assert models(result) == [
        (f"{module}.CreditNote", "billing.invoices", 13),
        (f"{module}.Invoice", "billing.invoices", 9),
        (f"{module}.Ledger", "ledger", 26),
        (f"{module}.Payment", "payments", 15),
        (f"{module}.Refund", "refunds", 20),
        (f"{module}.audit", "ops.audit_log", 7),
        (f"{module}.legacy", "legacy", 8),
    ]
    assert result.models[1] == ModelClass(
        f"{module}.Invoice",
        "billing.invoices",
        Evidence("shop/billing/models.py", 9, "class Invoice(Base):", "orm"),
    )
    assert [(u.evidence.line, u.reason) for u in result.unresolved] == [
        (32, "table name of model Mystery is computed at run time (__tablename__)")
    ]


def test_sqlmodel_and_flask_sqlalchemy_default_names(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "api/heroes.py": (
                "from sqlmodel import Field, SQLModel\n"  # 1
                "class HeroBase(SQLModel):\n"  # 2  not a table
                "    name: str\n"  # 3
                "class Hero(HeroBase, table=True):\n"  # 4
                "    id: int | None = Field(default=None, primary_key=True)\n"  # 5
                "class Team(SQLModel, table=True):\n"  # 6
                '    __tablename__ = "teams"\n'  # 7
            ),
            "web/extensions.py": "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n",
            "web/models.py": (
                "from extensions import db\n"  # 1
                "class OrderItem(db.Model):\n"  # 2
                "    id = db.Column(db.Integer, primary_key=True)\n"  # 3
                "class HTTPRequestLog(db.Model):\n"  # 4
                "    id = db.Column(db.Integer, primary_key=True)\n"  # 5
                "class Named(db.Model):\n"  # 6
                '    __tablename__ = "named"\n'  # 7
                "class Mixin(db.Model):\n"  # 8  no columns: not a table of its own
                "    __abstract__ = True\n"  # 9
            ),
        }
    )
    assert models(scan(root)) == [
        ("heroes.Hero", "hero", 4),
        ("heroes.Team", "teams", 6),
        ("models.HTTPRequestLog", "http_request_log", 4),
        ("models.Named", "named", 6),
        ("models.OrderItem", "order_item", 2),
    ]


def test_django_models_default_and_declared_tables(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "shop/__init__.py": "",
            "shop/orders/__init__.py": "",
            "shop/orders/models.py": (
                "from django.db import models\n"  # 1
                "from django.contrib.auth.models import AbstractUser\n"  # 2
                "class Stamped(models.Model):\n"  # 3
                "    class Meta:\n"  # 4
                "        abstract = True\n"  # 5
                "class Order(Stamped):\n"  # 6
                "    total = models.IntegerField()\n"  # 7
                "class Line(models.Model):\n"  # 8
                "    class Meta:\n"  # 9
                '        db_table = \'"sales"."Order_Lines"\'\n'  # 10
                "class Cheap(Order):\n"  # 11
                "    class Meta:\n"  # 12
                "        proxy = True\n"  # 13
                "class Customer(AbstractUser):\n"  # 14
                "    pass\n"  # 15
                "class Elsewhere(models.Model):\n"  # 16
                "    class Meta:\n"  # 17
                '        app_label = "crm"\n'  # 18
                "class Form:\n"  # 19
                "    pass\n"  # 20
            ),
            "shop/catalog/__init__.py": "",
            "shop/catalog/models/__init__.py": "from .product import Product\n",
            "shop/catalog/models/product.py": (
                "from django.db.models import CharField, Model\nclass Product(Model):\n    name = CharField()\n"
            ),
        }
    )
    assert models(scan(root)) == [
        ("shop.catalog.models.product.Product", "catalog_product", 2),
        ("shop.orders.models.Cheap", "orders_order", 11),
        ("shop.orders.models.Customer", "orders_customer", 14),
        ("shop.orders.models.Elsewhere", "crm_elsewhere", 16),
        ("shop.orders.models.Line", "sales.order_lines", 8),
        ("shop.orders.models.Order", "orders_order", 6),
    ]


def test_peewee_models_default_snake_and_declared_names(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "blog/db.py": (
                "import peewee as pw\n"  # 1
                "from peewee import CharField, Model, SqliteDatabase, TextField\n"  # 2
                'db = SqliteDatabase(":memory:")\n'  # 3
                "class BaseModel(Model):\n"  # 4  a base class with Meta only: not a table
                "    class Meta:\n"  # 5
                "        database = db\n"  # 6
                "class User(BaseModel):\n"  # 7
                "    name = CharField()\n"  # 8
                "class Tweet(BaseModel):\n"  # 9
                "    msg = TextField()\n"  # 10
                "    class Meta:\n"  # 11
                '        table_name = "tweets"\n'  # 12
                '        schema = "social"\n'  # 13
                "class SnakeBase(pw.Model):\n"  # 14
                "    class Meta:\n"  # 15
                "        legacy_table_names = False\n"  # 16
                "class WebHTTPRequest(SnakeBase):\n"  # 17
                "    url = CharField()\n"  # 18
            ),
            "blog/star.py": "from peewee import *\nclass Note(Model):\n    text = TextField()\n",
        }
    )
    assert models(scan(root)) == [
        ("db.Tweet", "social.tweets", 9),
        ("db.User", "user", 7),
        ("db.WebHTTPRequest", "web_http_request", 17),
        ("star.Note", "note", 2),
    ]


def test_qualnames_follow_the_package_chain(write_tree: WriteTree) -> None:
    model = "from django.db import models\nclass Order(models.Model):\n    pass\n"
    root = write_tree(
        {
            "src/shop/__init__.py": "",
            "src/shop/models.py": model,
            "services/orders/app/__init__.py": "",
            "services/orders/app/models.py": model,
            "scripts/models.py": model,
        }
    )
    assert [(m.qualname, m.table) for m in scan(root).models] == [
        ("app.models.Order", "app_order"),
        ("models.Order", "scripts_order"),
        ("shop.models.Order", "shop_order"),
    ]


# -- uses -----------------------------------------------------------------------------------------


def test_django_sqlalchemy_and_flask_uses_are_resolved_through_imports(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "svc/__init__.py": "",
            "svc/models.py": (
                "from django.db import models\n"
                "from sqlalchemy import Column, Integer\n"
                "from sqlalchemy.orm import declarative_base\n"
                "Base = declarative_base()\n"
                "class Order(models.Model):\n"
                "    pass\n"
                "class Invoice(Base):\n"
                '    __tablename__ = "invoices"\n'
                "    id = Column(Integer, primary_key=True)\n"
            ),
            "svc/views.py": (
                "from svc.models import Order, Invoice\n"  # 1
                "from svc import models\n"  # 2
                "from other_service.models import Remote\n"  # 3
                "from sqlalchemy import select, insert, update, delete\n"  # 4
                "def view(session, db):\n"  # 5
                "    Order.objects.filter(a=1).count()\n"  # 6
                "    models.Order.objects.get(id=1)\n"  # 7
                "    Order.objects.filter(a=1).update(b=2)\n"  # 8
                "    Order.objects.create(a=1)\n"  # 9
                "    Order(a=1).save()\n"  # 10
                "    Remote.objects.all()\n"  # 11  another service's model: kept for the pipeline
                "    session.query(Invoice).filter(Invoice.id == 1).all()\n"  # 12
                "    session.query(Invoice).filter_by(id=1).delete()\n"  # 13
                "    session.execute(select(Invoice.id))\n"  # 14
                "    session.execute(insert(Invoice).values(id=1))\n"  # 15
                "    session.execute(update(Invoice))\n"  # 16
                "    session.execute(delete(Invoice))\n"  # 17
                "    session.add(Invoice(id=1))\n"  # 18
                "    db.session.merge(Invoice(id=2))\n"  # 19
                "    session.add_all([Invoice(id=3), Order(a=2)])\n"  # 20
                "    session.get(Invoice, 1)\n"  # 21
                "    Invoice.query.filter_by(id=1).first()\n"  # 22
            ),
        }
    )
    assert uses(scan(root)) == [
        ("other_service.models.Remote", "read", 11),
        ("svc.models.Invoice", "read", 12),
        ("svc.models.Invoice", "read", 14),
        ("svc.models.Invoice", "read", 21),
        ("svc.models.Invoice", "read", 22),
        ("svc.models.Invoice", "write", 13),
        ("svc.models.Invoice", "write", 15),
        ("svc.models.Invoice", "write", 16),
        ("svc.models.Invoice", "write", 17),
        ("svc.models.Invoice", "write", 18),
        ("svc.models.Invoice", "write", 19),
        ("svc.models.Invoice", "write", 20),
        ("svc.models.Order", "read", 6),
        ("svc.models.Order", "read", 7),
        ("svc.models.Order", "write", 8),
        ("svc.models.Order", "write", 9),
        ("svc.models.Order", "write", 10),
        ("svc.models.Order", "write", 20),
    ]


def test_peewee_core_table_and_reexported_model_uses(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "blog/__init__.py": "",
            "blog/models.py": (
                "import sqlalchemy as sa\n"
                "from peewee import Model, CharField\n"
                "class User(Model):\n"
                "    name = CharField()\n"
                'audit = sa.Table("audit", sa.MetaData(), sa.Column("id", sa.Integer))\n'
            ),
            "blog/catalog/__init__.py": "from .product import Product\n",
            "blog/catalog/product.py": "from django.db import models\nclass Product(models.Model):\n    pass\n",
            "blog/service.py": (
                "from sqlalchemy import select\n"  # 1
                "from blog.models import User, audit\n"  # 2
                "from blog.catalog import Product\n"  # 3
                "def f(conn):\n"  # 4
                "    User.select().where(User.name == 'x')\n"  # 5
                "    User.get(User.id == 1)\n"  # 6
                "    User.create(name='y')\n"  # 7
                "    User.delete().where(User.id == 1).execute()\n"  # 8
                "    conn.execute(select(audit))\n"  # 9
                "    conn.execute(audit.insert().values(id=1))\n"  # 10
                "    Product.objects.all()\n"  # 11  re-exported: the defining module wins
            ),
        }
    )
    assert uses(scan(root)) == [
        ("blog.catalog.product.Product", "read", 11),
        ("blog.models.User", "read", 5),
        ("blog.models.User", "read", 6),
        ("blog.models.User", "write", 7),
        ("blog.models.User", "write", 8),
        ("blog.models.audit", "read", 9),
        ("blog.models.audit", "write", 10),
    ]


def test_no_uses_from_unrelated_calls(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "svc/views.py": (
                "import datetime\n"
                "from requests import Session\n"
                "from other_service.models import Remote\n"
                "from settings import CACHE_KEY\n"
                "def f(qs, cache, session, items, compute):\n"
                "    qs.filter(a=1).update(b=2)\n"  # a local variable: no model
                "    cache.get(CACHE_KEY)\n"
                "    session.get(CACHE_KEY)\n"  # one argument: not Session.get(Model, ident)
                '    Session().get("http://x")\n'
                "    datetime.datetime.now().replace(year=1)\n"
                "    Remote.select()\n"  # generic method names count only for models of this scan
                "    Remote(a=1).save()\n"
                "    Unknown.objects.all()\n"  # not imported, not defined here
                "    session.add(compute())\n"
                "    items.objects.filter()\n"
            )
        }
    )
    assert scan(root).uses == []


def test_table_names_given_by_constants(write_tree: WriteTree) -> None:
    root = write_tree(
        {
            "rec/__init__.py": "",
            "rec/const.py": 'TABLE_STATES = "states"\nSCHEMA = "rec"\n',
            "rec/schema.py": (
                "from sqlalchemy import Column, Integer, MetaData, Table\n"  # 1
                "from sqlalchemy.orm import declarative_base\n"  # 2
                "from rec.const import SCHEMA, TABLE_STATES\n"  # 3
                'TABLE_EVENTS = "events"\n'  # 4
                "Base = declarative_base()\n"  # 5
                "class Events(Base):\n"  # 6
                "    __tablename__ = TABLE_EVENTS\n"  # 7
                "    id = Column(Integer, primary_key=True)\n"  # 8
                "class States(Base):\n"  # 9
                "    __tablename__ = TABLE_STATES\n"  # 10
                '    __table_args__ = ({"schema": SCHEMA},)\n'  # 11
                "    id = Column(Integer, primary_key=True)\n"  # 12
                'runs = Table(TABLE_EVENTS + "_runs", MetaData(), Column("id", Integer))\n'  # 13
            ),
            "rec/models.py": (
                "from django.db import models\n"
                'LOG = "audit_log"\n'
                "class Log(models.Model):\n"
                "    class Meta:\n"
                "        db_table = LOG\n"
            ),
        }
    )
    assert models(scan(root)) == [
        ("rec.models.Log", "audit_log", 3),
        ("rec.schema.Events", "events", 6),
        ("rec.schema.States", "rec.states", 9),
        ("rec.schema.runs", "events_runs", 13),
    ]
