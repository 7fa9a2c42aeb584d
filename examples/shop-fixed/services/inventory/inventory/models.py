"""Stock, mapped with SQLAlchemy."""

from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class StockItem(Base):
    __tablename__ = "stock_items"

    sku = Column(String, primary_key=True)
    quantity = Column(Integer, nullable=False)
