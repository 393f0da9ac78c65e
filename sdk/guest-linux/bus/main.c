// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * veneer_bus.ko: a partition's driver for its Veneer PCI function.  It
 * binds the function (so udev loads it by the function's ids), enables the
 * hypercall page and the SynIC, whose interrupts arrive as the function's
 * MSI, and turns each channel a provider offers into a device on the bus
 * "veneer" for a class driver (veneer_bus.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/pci.h>

#include <veneer/pci.h>

#include "bus.h"

static bool veneer_bound;

static int veneer_pci_probe(struct pci_dev *pdev,
			    const struct pci_device_id *id)
{
	int err;

	/* The partition has one function; its state is the module's. */
	if (veneer_bound)
		return -EBUSY;
	err = veneer_bus_discover();
	if (err)
		return err;
	err = pci_enable_device(pdev);
	if (err)
		return err;
	/* A function signals MSIs only with bus mastering enabled. */
	pci_set_master(pdev);
	veneer_bus_parent = &pdev->dev;
	veneer_devices_open();
	err = veneer_hypercall_init();
	if (err)
		goto disable_device;
	err = veneer_synic_init(pdev);
	if (err)
		goto hypercall_exit;
	veneer_bound = true;
	return 0;

hypercall_exit:
	veneer_hypercall_exit();
disable_device:
	pci_disable_device(pdev);
	return err;
}

/*
 * Only at unload: every channel is closed and its grant revoked while the
 * SynIC still delivers the provider's answers.
 */
static void veneer_pci_remove(struct pci_dev *pdev)
{
	veneer_devices_remove();
	veneer_synic_exit(pdev);
	veneer_hypercall_exit();
	pci_disable_device(pdev);
	veneer_bound = false;
}

static const struct pci_device_id veneer_pci_ids[] = {
	{ PCI_DEVICE(VNR_PCI_VENDOR_ID, VNR_PCI_DEVICE_ID_GUEST) },
	{}
};
MODULE_DEVICE_TABLE(pci, veneer_pci_ids);

static struct pci_driver veneer_pci_driver = {
	.name = KBUILD_MODNAME,
	.id_table = veneer_pci_ids,
	.probe = veneer_pci_probe,
	.remove = veneer_pci_remove,
	/* Unbinding would take the channels from under their drivers. */
	.driver.suppress_bind_attrs = true,
};

static int __init veneer_bus_init(void)
{
	int err = veneer_bus_register();

	if (err)
		return err;
	err = pci_register_driver(&veneer_pci_driver);
	if (err)
		veneer_bus_unregister();
	return err;
}
module_init(veneer_bus_init);

static void __exit veneer_bus_exit(void)
{
	pci_unregister_driver(&veneer_pci_driver);
	veneer_bus_unregister();
}
module_exit(veneer_bus_exit);

MODULE_DESCRIPTION("Veneer partition: channel bus");
MODULE_LICENSE("Dual MIT/GPL");
