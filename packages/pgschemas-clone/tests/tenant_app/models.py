from django.db import models
from django.db.models.functions import Lower


class Category(models.Model):
    name = models.CharField(max_length=100, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE)


class Tag(models.Model):
    label = models.SlugField()


class Product(models.Model):
    sku = models.CharField(max_length=32)
    name = models.CharField(max_length=200, db_index=True)
    price = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    active = models.BooleanField(default=True)
    data = models.JSONField(default=dict)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    country = models.ForeignKey("shared_app.Country", null=True, on_delete=models.SET_NULL)
    tags = models.ManyToManyField(Tag, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("sku", "category")]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gte=0), name="product_price_gte_0"),
            models.UniqueConstraint(Lower("name"), "category", name="product_lower_name_category"),
        ]
        indexes = [
            models.Index(
                fields=["sku"], condition=models.Q(active=True), name="product_active_sku"
            ),
            models.Index(Lower("sku"), name="product_lower_sku"),
        ]
